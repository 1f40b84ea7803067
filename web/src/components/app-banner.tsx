import { online } from '../net/connectivity.js';
import { install, installOffer } from '../pwa/install.js';
import { applyUpdate, updateReady } from '../pwa/update.js';

/** Install offer, update prompt and offline notice: one strip above every page. */
export function AppBanner() {
  if (!online.value) {
    return (
      <p role="status" class="m-0 px-3 py-2 bg-panel text-warn text-sm">
        You are offline. The app opens without a network, but chatting needs the relay: messages will not go out until you are back online.
      </p>
    );
  }
  if (updateReady.value) {
    return (
      <div role="status" class="px-3 py-2 bg-panel text-sm flex items-center gap-3">
        A new version of Ghostwire is ready.
        <button class="btn-quiet" onClick={applyUpdate}>Reload to update</button>
      </div>
    );
  }
  if (installOffer.value) {
    return (
      <div class="px-3 py-2 bg-panel text-sm flex items-center gap-3">
        Install Ghostwire to open it from your home screen, full screen.
        <button class="btn-quiet" onClick={() => void install()}>Install</button>
      </div>
    );
  }
  return null;
}
