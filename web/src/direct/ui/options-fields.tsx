import { useSignal } from '@preact/signals';
import type { IceResponse } from '../../../../protocol/src/messages/signal-ice.js';
import { COVER_MIB_PER_HOUR, JITTER_MAX_MS } from '../camouflage.js';
import { fetchIce } from '../ice.js';
import type { DirectOptions } from '../session.js';
import { NO_TURN } from '../words.js';

interface Props {
  value: DirectOptions;
  onChange(next: DirectOptions): void;
}

/** The choices made before a session starts, for the person who creates the link and the one who opens it alike. */
export function OptionsFields({ value, onChange }: Props) {
  // Asked as soon as Hide my IP is ticked, so "no TURN server" is said at once, not after a connect timeout.
  const ice = useSignal<IceResponse | null>(null);
  const toggle = (k: keyof DirectOptions) => {
    const next = { ...value, [k]: !value[k] };
    if (k === 'hideIp' && next.hideIp && !ice.value) void fetchIce(location.origin).then((r) => (ice.value = r));
    onChange(next);
  };
  return (
    <fieldset class="border border-line rounded-lg p-3 flex flex-col gap-3 m-0">
      <legend class="text-sm text-mute">Options</legend>
      <label class="flex gap-3 items-start min-h-11">
        <input class="mt-1 w-5 h-5" type="checkbox" checked={value.hideIp} onChange={() => toggle('hideIp')} />
        <span>Hide my IP: connect only through a TURN relay server, so the other person never sees your network address.</span>
      </label>
      {value.hideIp && ice.value && !ice.value.turn && (
        <p class="m-0 text-warn text-sm" data-testid="no-turn">
          {NO_TURN}
        </p>
      )}
      <label class="flex gap-3 items-start min-h-11">
        <input class="mt-1 w-5 h-5" type="checkbox" checked={value.cover} onChange={() => toggle('cover')} />
        <span>
          Cover traffic: both of you send encrypted noise that looks like messages, so quiet and busy times look alike. About {COVER_MIB_PER_HOUR.toFixed(1)} MiB per
          hour each way (best effort).
        </span>
      </label>
      <label class="flex gap-3 items-start min-h-11">
        <input class="mt-1 w-5 h-5" type="checkbox" checked={value.jitter} onChange={() => toggle('jitter')} />
        <span>Send jitter: delay each of your messages by up to {JITTER_MAX_MS} ms so timing says less (best effort).</span>
      </label>
    </fieldset>
  );
}
