import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { BuildIdentity } from '../components/build-identity.js';
import { GhostPrivacy } from '../components/ghost-privacy.js';
import { PanicSettings } from '../components/panic-settings.js';
import { FRAGMENT_HISTORY_NOTE } from '../fragment.js';
import { formatBytes, readDeviceFootprint, type DeviceFootprint } from '../privacy/device-footprint.js';
import { shieldSettings } from '../privacy/shield.js';
import { MissingProtections } from '../components/missing-protections.js';
import { navigate } from '../router.js';

/** What the relay and this device hold right now, and the controls that destroy it. */
export function Privacy() {
  const device = useSignal<DeviceFootprint | null>(null);
  const refresh = () => void readDeviceFootprint().then((f) => (device.value = f));
  useEffect(refresh, []);
  const d = device.value;

  return (
    <main class="max-w-2xl mx-auto p-6 flex flex-col gap-6">
      <h1 class="text-2xl m-0">Privacy</h1>

      <GhostPrivacy />
      <MissingProtections />

      <BuildIdentity />

      <section aria-labelledby="device-h" class="flex flex-col gap-2">
        <h2 id="device-h" class="text-lg m-0">
          What this device holds
        </h2>
        {!d ? (
          <p class="m-0 text-mute">Reading…</p>
        ) : (
          <ul class="m-0 pl-5 flex flex-col gap-1" data-testid="device-footprint">
            <li>
              Caches: {d.caches.length === 0 ? 'none' : d.caches.map((c) => `${c.name} (${c.entries} files)`).join(', ')} — the app shell and the release pin only: code, styles, icons and the manifest of the release you installed, never messages.
            </li>
            <li>Storage in use: {d.storage ? `${formatBytes(d.storage.usage)} of ${formatBytes(d.storage.quota)}` : 'unknown in this browser'}</li>
            <li>
              localStorage: {d.localStorageKeys} keys · sessionStorage: {d.sessionStorageKeys} keys · cookies: {d.cookies} · IndexedDB:{' '}
              {d.indexedDbNames === null ? 'unknown' : d.indexedDbNames.length === 0 ? 'none' : d.indexedDbNames.join(', ')}
            </li>
            <li>Service worker: {d.serviceWorker}</li>
          </ul>
        )}
        <div>
          <button class="btn-quiet" onClick={refresh}>
            Check again
          </button>
        </div>
        <p class="m-0 text-mute text-sm">Keys, messages and images live only in this tab's memory.</p>
        <p class="m-0 text-mute text-sm" data-testid="history-note">
          {FRAGMENT_HISTORY_NOTE}
        </p>
      </section>

      <section aria-labelledby="shield-h" class="flex flex-col gap-2">
        <h2 id="shield-h" class="text-lg m-0">
          Screen shield (best effort)
        </h2>
        <label class="flex gap-2 items-center">
          <input type="checkbox" checked={shieldSettings.blurOnBlur.value} onChange={(e) => (shieldSettings.blurOnBlur.value = (e.currentTarget).checked)} />
          Blur messages when the window loses focus
        </label>
        <label class="flex gap-2 items-center">
          <input type="checkbox" checked={shieldSettings.blurOnDevtools.value} onChange={(e) => (shieldSettings.blurOnDevtools.value = (e.currentTarget).checked)} />
          Blur messages when developer tools seem to be open
        </label>
        <p class="m-0 text-mute text-sm">
          These only make casual capture harder. Nothing in a web page can stop a screenshot, a screen recorder, another camera, or someone with
          developer tools.
        </p>
      </section>

      <PanicSettings />

      <div>
        <button class="btn-quiet" onClick={() => navigate('/')}>
          Back
        </button>
      </div>
    </main>
  );
}
