import type { FromWorker, ToWorker } from '../../sw/src/messages.js';
import { parseFromWorker } from './sw-reply.js';

/** The active worker once known, so a message can go out synchronously even before this page is controlled. */
let active: ServiceWorker | null = null;
const haveWorkers = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
const listeners = new Set<(msg: FromWorker) => void>();

/**
 * Registers the service worker (app shell only, wipe-on-close; see
 * sw/src/sw.ts) and says hello once it runs. The worker's messages are heard
 * from the start (a panic in another tab); workbox-window loads on demand and
 * registers once the page has loaded, as it always did, so neither it nor
 * the precache download competes with the first paint.
 */
export function registerServiceWorker(): void {
  if (!haveWorkers()) return;
  navigator.serviceWorker.addEventListener('message', (ev: MessageEvent) => {
    const msg = parseFromWorker(ev.data);
    if (msg) for (const fn of [...listeners]) fn(msg);
  });
  void import('workbox-window')
    .then(({ Workbox }) => new Workbox('/sw.js', { scope: '/', type: 'classic' }).register())
    .catch(() => undefined);
  void navigator.serviceWorker.ready.then((reg) => {
    active = reg.active;
    tellWorker({ type: 'hello' });
  });
}

/** Posts a message to the worker at once (usable in pagehide); false if there is no worker yet. */
export function tellWorker(msg: ToWorker): boolean {
  if (!haveWorkers()) return false;
  const target = navigator.serviceWorker.controller ?? active;
  if (!target) return false;
  target.postMessage(msg);
  return true;
}

/** Calls `fn` for every message the worker sends this page; returns a function that stops it. */
export function onWorkerMessage(fn: (msg: FromWorker) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Resolves true when the worker reports its purge finished, or false after `timeoutMs`. */
export function workerWiped(timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const stop = onWorkerMessage((m) => m.type === 'wiped' && done(true));
    function done(ok: boolean) {
      clearTimeout(timer);
      stop();
      resolve(ok);
    }
  });
}
