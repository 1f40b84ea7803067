import { farewell } from '../ghost-view.js';
import { navigate } from '../router.js';

/** Shown after a voluntary self-destruct: what was destroyed, and what could not be. */
export function Farewell() {
  const r = farewell.value;
  return (
    <main class="max-w-xl mx-auto p-6 flex flex-col gap-4">
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
                ? 'On the relay: your ghost, its session, its signing key record, its rate limits and its room memberships, on every relay instance. Its connections were closed.'
                : r.relayError
                  ? `On the relay: the ghost could not be destroyed (${r.relayError}). It ends by itself when its session times out.`
                  : 'On the relay: nothing; this tab had no ghost there.'}
            </li>
            <li>
              On this device: {r.rooms === 1 ? '1 open room' : `${r.rooms} open rooms`} with their keys, messages and images, wiped from memory ({r.holders}{' '}
              {r.holders === 1 ? 'holder' : 'holders'} of secrets)
              {r.ghostDestroyedOnRelay ? "; and the site's storage and caches, which the relay's answer told the browser to clear." : '.'}
            </li>
          </ul>
          <p class="m-0 text-mute text-sm">
            Other members still have what they already received. Memory wiping is best effort: the browser decides when freed memory is reused.
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
