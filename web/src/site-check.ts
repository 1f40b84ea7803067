/**
 * What this browser still holds for the site, read back after a wipe so the
 * Farewell page says only what was verified. Each reading is null where the
 * browser does not offer it (or refused): then nothing is claimed about it.
 */
export interface SiteResidue {
  /** Names of the Cache Storage caches that remain. */
  caches: string[] | null;
  /** The browser's estimate of the site's storage in use, in bytes. */
  usageBytes: number | null;
  /** Service worker registrations that remain. */
  registrations: number | null;
}

async function attempt<T>(f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch {
    return null;
  }
}

/** Reads Cache Storage, the storage estimate and the service worker registrations. */
export async function readSiteResidue(): Promise<SiteResidue> {
  const [c, usage, regs] = await Promise.all([
    typeof caches === 'undefined' ? null : attempt(() => caches.keys()),
    typeof navigator === 'undefined' || !navigator.storage?.estimate ? null : attempt(async () => (await navigator.storage.estimate()).usage ?? null),
    typeof navigator === 'undefined' || !navigator.serviceWorker ? null : attempt(async () => (await navigator.serviceWorker.getRegistrations()).length),
  ]);
  return { caches: c, usageBytes: usage, registrations: regs };
}

/**
 * Asks the relay for `Clear-Site-Data: "cache", "storage"`. Chromium applies
 * the header only to a response of a request that may carry credentials
 * (credentials "omit" makes it refuse: "credentials mode prohibits modifying
 * cookies and other local data"), so this one is same-origin with credentials
 * allowed. The app sends no cookies, so nothing identifying rides along.
 */
export function requestClearSiteData(path: string): Promise<unknown> {
  return fetch(path, { method: 'POST', cache: 'no-store', credentials: 'same-origin', keepalive: true });
}
