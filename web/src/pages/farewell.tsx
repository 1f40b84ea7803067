import { farewell } from '../ghost-view.js';
import { navigate } from '../router.js';
import type { SiteResidue } from '../site-check.js';

const kb = (n: number) => (n < 1024 ? `${n} bytes` : `${Math.round(n / 1024)} kB`);

/** One line per thing read back after the wipe; nothing is claimed about what could not be read. */
function Residue({ r, asked }: { r: SiteResidue; asked: boolean }) {
  return (
    <ul class="m-0 pl-5 flex flex-col gap-1" data-testid="farewell-residue">
      {!asked && <li>The request to clear the site's data did not reach the relay, so the browser was not asked to clear anything.</li>}
      {r.caches !== null && (
        <li data-testid="residue-caches">
          {r.caches.length === 0
            ? 'Cache Storage: empty (checked).'
            : `Cache Storage: ${r.caches.length} ${r.caches.length === 1 ? 'cache remains' : 'caches remain'} (${r.caches.join(', ')}). They hold the app's own files, no messages; clear the site's data in the browser's settings to remove them.`}
        </li>
      )}
      {r.registrations !== null && (
        <li data-testid="residue-workers">
          {r.registrations === 0
            ? 'Service worker: none registered (checked); the offline copy of the app is gone.'
            : `Service worker: ${r.registrations} still registered (it keeps the app working offline; it holds no messages).`}
        </li>
      )}
      {r.usageBytes !== null && (
        <li data-testid="residue-usage">
          Site storage in use, by the browser's own estimate: {kb(r.usageBytes)}
          {r.usageBytes === 0 ? '.' : ' (the estimate can lag behind a wipe and counts the app\'s own files).'}
        </li>
      )}
    </ul>
  );
}

/** Shown after a voluntary self-destruct: what was destroyed, and what was verified to remain. */
export function Farewell() {
  const r = farewell.value;
  return (
    <main class="max-w-xl mx-auto p-6 flex flex-col gap-4 pt-page">
      <h1 class="text-2xl m-0">Farewell</h1>
      {!r ? (
        <p class="m-0">Nothing to destroy here: this tab has no ghost. Everything Ghostwire held in it is already gone.</p>
      ) : (
        <>
          <p class="m-0" data-testid="farewell-summary">
            Your ghost is gone. This is what was destroyed:
          </p>
          <ul class="m-0 pl-5 flex flex-col gap-1">
            <li data-testid="farewell-relay">
              {r.ghostDestroyedOnRelay
                ? 'On the relay: your ghost, its session, its key record, its rate limits and its room memberships, on every relay instance. Its connections were closed.'
                : r.relayError
                  ? `On the relay: the ghost could not be destroyed (${r.relayError}). It ends by itself when its session times out.`
                  : 'On the relay: nothing; this tab had no ghost there.'}
            </li>
            <li>
              On this device: {r.rooms === 1 ? '1 open room' : `${r.rooms} open rooms`} with their keys, messages and images, wiped from memory ({r.holders}{' '}
              {r.holders === 1 ? 'holder' : 'holders'} of secrets).
            </li>
          </ul>
          {r.residue && (
            <>
              <h2 class="text-lg m-0">What this browser still holds for Ghostwire, checked just now</h2>
              <Residue r={r.residue} asked={r.clearSiteAsked} />
            </>
          )}
          <p class="m-0 text-mute text-sm">
            The rooms go on for the others, who still have what they already received. Memory wiping is best effort: the browser decides when freed memory is reused.
          </p>
        </>
      )}
      <div>
        <button class="btn" onClick={() => navigate('/', true)}>
          Start again
        </button>
      </div>
    </main>
  );
}
