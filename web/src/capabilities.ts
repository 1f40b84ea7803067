/**
 * What this browser offers, by feature detection (never by its name): Tor
 * Browser and Firefox private windows have no service workers, Tor Browser
 * no WebRTC, and a user can turn either off in any browser.
 */
export interface Capabilities {
  /** navigator.serviceWorker exists: the app shell can be kept and purged on close. */
  serviceWorker: boolean;
  /** RTCPeerConnection exists: direct mode can go peer to peer. */
  webrtc: boolean;
}

/** Reads the capabilities from a global scope (the page's, or a test's stand-in). */
export function detectCapabilities(g: { navigator?: object; RTCPeerConnection?: unknown } = globalThis): Capabilities {
  return {
    serviceWorker: !!g.navigator && 'serviceWorker' in g.navigator,
    webrtc: typeof g.RTCPeerConnection === 'function',
  };
}

/** One plain sentence per missing protection, saying what it means here and what to do. Empty when nothing is missing. */
export function missingProtections(c: Capabilities): string[] {
  const out: string[] = [];
  if (!c.serviceWorker) {
    out.push(
      'This browser runs no service worker: it keeps no app shell, so there is nothing to purge on close or panic, and no worker checks a new build against the signed release before it runs. Rooms and panic work as usual.',
    );
  }
  if (!c.webrtc) {
    out.push('This browser has no WebRTC: direct mode is not available peer to peer. Use a room, or a direct session through the relay (offered from the start, with the same end-to-end key).');
  }
  return out;
}
