import { signal } from '@preact/signals';
import type { Verdict } from './audit.js';

/** The old code's verdict on what the relay serves; rooms open only on ok, update, first-use or unsupported. */
export const releaseVerdict = signal<Verdict>({ kind: 'checking' });

/** Whether a room may open under this verdict (the gate in app.tsx waits while it is 'checking'). */
export function roomsAllowed(v: Verdict): boolean {
  return v.kind === 'ok' || v.kind === 'update' || v.kind === 'first-use' || v.kind === 'unsupported';
}

let accepted = false;
let hijacked = false;
let running: Promise<void> | null = null;
let again = false;

/** Runs the check once (coalescing calls made while one runs). */
export function checkRelease(): Promise<void> {
  // After "Update" the page only waits to reload: a check now would send requests through the old worker
  // while it is being retired (see acceptUpdate).
  if (accepted) return running ?? Promise.resolve();
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      try {
        // The checker (schemas, hashing, signatures) loads on demand: the landing page's initial JS has a budget.
        const { checkOnce } = await import('./check.js');
        releaseVerdict.value = await checkOnce(hijacked);
      } catch {
        // Fail closed: a checker that cannot load (its chunk refused by its integrity hash, say) allows no room.
        releaseVerdict.value = { kind: 'warning', running: null, reason: "The app's own code check could not run." };
      }
    } while (again);
  })().finally(() => (running = null));
  return running;
}

/**
 * Starts the tripwire: checks at start, whenever a new worker is found, and
 * turns an unasked-for change of controller into a warning at once.
 */
export function watchRelease(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
    releaseVerdict.value = { kind: 'unsupported' };
    return;
  }
  const sw = navigator.serviceWorker;
  let controller = sw.controller;
  sw.addEventListener('controllerchange', () => {
    const before = controller;
    controller = sw.controller;
    if (accepted) { location.reload(); return; }
    // The first install claims its page (there was no controller): only a change *away from* old code counts.
    if (!before) return;
    hijacked = true;
    void checkRelease();
  });
  void sw.getRegistration('/').then((reg) => reg?.addEventListener('updatefound', () => void checkRelease()));
  void checkRelease();
}

/**
 * The person accepted the checked update: once no check is in flight, and if the last one still found
 * it, the waiting worker takes over and the page reloads into it.
 */
export async function acceptUpdate(): Promise<void> {
  accepted = true;
  // Chromium lets a worker that called skipWaiting() take over only once the old one has no work: it
  // hurries the old one's stop, but a request reaching it while it stops starts it again, and the swap is
  // then left to the old worker's ordinary idle stop or a five-minute limit. Asking again changes nothing:
  // only the first pending skipWaiting() starts this. Every request of a check goes through the old
  // worker; a check still running when "Update" was pressed left the update waiting over a minute (in
  // the tests, whose Chromium runs under DevTools). So let it finish first, and go by what it concluded:
  // it may differ from what the banner offered.
  await running;
  if (releaseVerdict.value.kind !== 'update') {
    accepted = false;
    return;
  }
  const reg = await navigator.serviceWorker.getRegistration('/');
  if (!reg?.waiting) {
    location.reload();
    return;
  }
  // The controllerchange listener reloads once it takes over.
  reg.waiting.postMessage({ type: 'accept-update' });
}
