import type { ToWorker } from '../../../sw/src/messages.js';
import { requestClearSiteData } from '../site-check.js';
import { tellWorker, workerWiped } from '../sw-register.js';
import { wipeAll } from '../wipe.js';
import { lockPage } from './locked.js';
import { runRemoteDestroy } from './remote.js';

/** The relay endpoint answering `Clear-Site-Data: "cache", "storage"` (the browser's own wipe, as a second line). */
export const CLEAR_SITE_DATA_PATH = '/api/wipe';
/** How long a deep wipe waits for the worker and the relay before blanking anyway. */
export const DEEP_WIPE_WAIT_MS = 400;

export interface PanicDeps {
  wipeAll(): number;
  runRemoteDestroy(): boolean;
  clearStorage(): void;
  lockPage(): void;
  tellWorker(msg: ToWorker): boolean;
  workerWiped(timeoutMs: number): Promise<boolean>;
  clearSiteData(): Promise<unknown>;
  /** Leaves for about:blank, replacing this history entry so Back cannot return to it. */
  blank(): void;
}

/** Empties web storage and cookies. The app writes none; this catches anything that did. */
export function clearStorage(doc: Document = document): void {
  for (const s of [() => localStorage, () => sessionStorage]) {
    try {
      s().clear();
    } catch {
      // Storage can be disabled; then it holds nothing either.
    }
  }
  for (const c of doc.cookie.split(';')) {
    const name = c.split('=')[0]?.trim();
    if (name) doc.cookie = `${name}=; Max-Age=0; path=/`;
  }
}

export function browserPanicDeps(): PanicDeps {
  return {
    wipeAll: () => wipeAll(),
    runRemoteDestroy,
    clearStorage: () => clearStorage(),
    lockPage: () => lockPage(),
    tellWorker,
    workerWiped,
    clearSiteData: () => requestClearSiteData(CLEAR_SITE_DATA_PATH).catch(() => undefined),
    blank: () => location.replace('about:blank'),
  };
}

let panicking = false;

/**
 * Panic (DESIGN §6): wipe every secret in this page, ask the relay to forget
 * the ghost, have the worker purge (and tell the other tabs), then leave for
 * about:blank. A plain panic does all of it synchronously; a deep one waits up
 * to DEEP_WIPE_WAIT_MS for the worker and for Clear-Site-Data. `fromWorker`:
 * another tab panicked and the worker already knows.
 */
export async function panic(opts: { deep?: boolean; fromWorker?: boolean } = {}, deps: PanicDeps = browserPanicDeps()): Promise<void> {
  if (panicking) return;
  panicking = true;
  const deep = opts.deep ?? false;
  // Each step is guarded: a failure in one must not keep the next from running.
  const step = (fn: () => unknown) => {
    try {
      fn();
    } catch {
      // Best effort; the page is about to go anyway.
    }
  };
  step(() => deps.wipeAll());
  step(() => deps.lockPage());
  step(() => deps.runRemoteDestroy());
  step(() => deps.clearStorage());
  let told = false;
  if (!opts.fromWorker) step(() => (told = deps.tellWorker({ type: deep ? 'deep-wipe' : 'wipe' })));
  if (deep) {
    await Promise.all([told ? deps.workerWiped(DEEP_WIPE_WAIT_MS) : null, withTimeout(deps.clearSiteData(), DEEP_WIPE_WAIT_MS)]);
  }
  step(() => deps.blank());
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);
}

/** For tests: allow another panic in the same module instance. */
export function resetPanicForTests(): void {
  panicking = false;
}
