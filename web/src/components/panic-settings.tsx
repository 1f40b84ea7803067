import { useSignal } from '@preact/signals';
import { parseHotkey, panicSettings, requestShakePermission, shakeNeedsPermission } from '../panic/index.js';
import type { ShakeSensitivity } from '../panic/shake.js';

const SENSITIVITY: Array<[ShakeSensitivity, string]> = [
  ['low', 'Low (a hard shake)'],
  ['normal', 'Normal'],
  ['high', 'High (a light shake; may fire while running)'],
];
const WIPE_WHEN: Array<[typeof panicSettings.wipeWhen.value, string]> = [
  ['never', 'Never'],
  ['hidden', 'When the page is hidden (tab switch, screen off)'],
  ['blur', 'When the window loses focus'],
];

/** Panic preferences: hotkey, shake and its sensitivity, wipe on hide/blur, deep wipe. Memory only. */
export function PanicSettings() {
  const hotkeyText = useSignal(panicSettings.hotkey.value);
  const hotkeyError = useSignal<string | null>(null);
  const motion = useSignal<string | null>(null);
  const s = panicSettings;
  return (
    <section aria-labelledby="panic-h" class="flex flex-col gap-3">
      <h2 id="panic-h" class="text-lg m-0">
        Panic
      </h2>
      <p class="m-0 text-mute text-sm">
        A panic destroys your ghost, wipes this tab and shows a blank page at once. These settings live in this tab's memory only, and reset on reload.
      </p>
      <label class="flex flex-col gap-1">
        Panic hotkey
        <input autocomplete="off"
          class="field max-w-60"
          value={hotkeyText.value}
          aria-describedby="hotkey-help"
          onInput={(e) => (hotkeyText.value = (e.currentTarget).value)}
          onChange={() => {
            if (parseHotkey(hotkeyText.value)) {
              s.hotkey.value = hotkeyText.value;
              hotkeyError.value = null;
            } else hotkeyError.value = `"${hotkeyText.value}" is not a shortcut. Write it like Ctrl+Shift+X; the panic hotkey stays ${s.hotkey.value}.`;
          }}
        />
      </label>
      <span id="hotkey-help" class="text-sm text-mute">
        {hotkeyError.value ?? `Now: ${s.hotkey.value}`}
      </span>
      <label class="flex gap-2 items-center">
        <input autocomplete="off" type="checkbox" checked={s.shake.value} onChange={(e) => (s.shake.value = (e.currentTarget).checked)} />
        Shaking the phone panics
      </label>
      <label class="flex flex-col gap-1">
        Shake sensitivity
        <select autocomplete="off" class="field max-w-80" value={s.shakeSensitivity.value} onChange={(e) => (s.shakeSensitivity.value = (e.currentTarget).value as ShakeSensitivity)}>
          {SENSITIVITY.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <div class="flex flex-wrap items-center gap-2">
        <button
          class="btn-quiet"
          onClick={() =>
            void requestShakePermission().then(
              (r) =>
                (motion.value =
                  r === 'granted'
                    ? 'Motion access granted: shaking works.'
                    : r === 'denied'
                      ? 'Motion access was refused. Allow motion in the browser settings to use shake to panic.'
                      : 'This browser gives motion readings without asking: nothing to allow.'),
            )
          }
        >
          Allow motion (for shake on iPhone)
        </button>
        {shakeNeedsPermission() && !motion.value && <span class="text-sm text-mute">This browser asks first: press the button before relying on shake.</span>}
        {motion.value && (
          <span role="status" class="text-sm">
            {motion.value}
          </span>
        )}
      </div>
      <label class="flex flex-col gap-1">
        Also panic
        <select autocomplete="off" class="field max-w-96" value={s.wipeWhen.value} onChange={(e) => (s.wipeWhen.value = (e.currentTarget).value as typeof s.wipeWhen.value)}>
          {WIPE_WHEN.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="flex gap-2 items-center">
        <input autocomplete="off" type="checkbox" checked={s.deep.value} onChange={(e) => (s.deep.value = (e.currentTarget).checked)} />
        Deep wipe on panic: also remove the offline app shell (the app then needs the network to open)
      </label>
    </section>
  );
}
