import { destroyBeacon, setRemoteDestroy } from './remote.js';

/** The event an end-to-end test dispatches to stand in for a ghost session. */
export const E2E_GHOST_EVENT = 'ghostwire:e2e-ghost-session';

/**
 * TEMPORARY, until the ghost model (issue 3) calls setRemoteDestroy itself:
 * lets tests/e2e/panic-*.test.ts register a ghost session token so a panic
 * sends the destroy beacon. It adds no power: any script able to dispatch
 * this event in the page could call sendBeacon directly. Remove it, and its
 * call in main.tsx, when the ghost model lands.
 */
export function installE2eGhostSeam(win: Window = window): void {
  win.addEventListener(E2E_GHOST_EVENT, (ev) => {
    const token = (ev as CustomEvent<unknown>).detail;
    if (typeof token === 'string' && token.length > 0 && token.length < 512) setRemoteDestroy(destroyBeacon(win.location.origin, token));
  });
}
