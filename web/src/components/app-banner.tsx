import { online } from '../net/connectivity.js';
import { install, installOffer } from '../pwa/install.js';
import { shortRoot } from '../release/format.js';
import { acceptUpdate, releaseVerdict } from '../release/watch.js';

/** Update prompt and offline notice: one strip above every page (the install offer is on the landing page: InstallOffer). */
export function AppBanner() {
  if (!online.value) {
    return (
      <p role="status" class="m-0 px-3 py-2 bg-panel text-warn text-sm">
        You are offline. The app opens without a network, but chatting needs the relay: messages will not go out until you are back online.
      </p>
    );
  }
  const v = releaseVerdict.value;
  // The warning is the whole screen; nothing may invite the person to stay (not even "Install").
  if (v.kind === 'warning') return null;
  if (v.kind === 'update') {
    const next = v.next.manifest;
    const by = v.next.signer.kind === 'official' ? "signed by Ghostwire's release key" : 'signed by the key this app was installed with';
    return (
      <div role="status" class="px-3 py-2 bg-panel text-sm flex flex-wrap items-center gap-3" data-testid="update-prompt">
        <span>
          Update to {next.version} · root <code>{shortRoot(next.root)}</code>
          <span class="text-mute"> — checked: {by}, every file matches.</span>
        </span>
        <button class="btn-quiet" onClick={() => void acceptUpdate()}>
          Update
        </button>
      </div>
    );
  }
  return null;
}

/**
 * The browser's install offer, at the end of the landing page: it arrives
 * when the browser decides (after the service worker runs), and in the strip
 * above the page it pushed everything down (a layout shift) a moment after
 * the first paint. Nothing while a code-check warning stands.
 */
export function InstallOffer() {
  if (!installOffer.value || releaseVerdict.value.kind === 'warning') return null;
  return (
    <div class="px-3 py-2 rounded-lg bg-panel text-sm flex items-center gap-3">
      Install Ghostwire to open it from your home screen, full screen.
      <button class="btn-quiet" onClick={() => void install()}>Install</button>
    </div>
  );
}
