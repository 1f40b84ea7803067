/**
 * The best-effort "forget me" call to the relay during a panic. The ghost
 * model registers a function here while a ghost session exists; panic calls
 * it after wipeAll() has run, so the function must hold its own copy of what
 * it needs (the session token) and must not wait for anything.
 */
type RemoteDestroy = () => void;
let remoteDestroy: RemoteDestroy | null = null;

/** The relay endpoint a beacon can reach: sendBeacon cannot set an Authorization header, so the token rides in the body. */
export const DESTROY_BEACON_PATH = '/api/ghosts/me/destroy';

/** Registers (or, with null, clears) what panic calls to destroy the ghost on the relay. */
export function setRemoteDestroy(fn: RemoteDestroy | null): void {
  remoteDestroy = fn;
}

/** Calls the registered destroy once and forgets it (and the token it holds); false if none was registered. */
export function runRemoteDestroy(): boolean {
  const fn = remoteDestroy;
  remoteDestroy = null;
  if (!fn) return false;
  try {
    fn();
  } catch {
    // Best effort: the relay's TTL still ends the session if the beacon is lost.
  }
  return true;
}

/**
 * A destroy that survives the page navigating away at once: sendBeacon is
 * queued by the browser, not the page. Returns whether the browser took it.
 */
export function destroyBeacon(origin: string, token: string, send: Navigator['sendBeacon'] = navigator.sendBeacon.bind(navigator)): RemoteDestroy {
  return () => void send(`${origin}${DESTROY_BEACON_PATH}`, new Blob([JSON.stringify({ token })], { type: 'application/json' }));
}
