import type { BrowserContext, Page, Worker } from 'playwright-core';

/** What a browser profile holds for one origin. */
export interface SiteStorage {
  /** Cache Storage: cache name → request URLs in it. */
  caches: Record<string, string[]>;
  indexedDb: string[];
  localStorage: string[];
  sessionStorage: string[];
  cookies: string;
  /** Scopes of the service worker registrations. */
  workers: string[];
}

/** Path of a relay page that runs no app code: looking through it says no hello and holds no secret. */
export const INSPECTOR_PATH = '/health';

/**
 * Opens a page of the origin that runs none of the app's code, reads what the
 * origin stores, and closes it (DevTools' CacheStorage domain needs a frame
 * of the origin anyway). It is a window client while open, so a worker
 * counting live pages sees it: use it when that does not matter.
 */
export async function readSiteStorage(context: BrowserContext, origin: string, reuse?: Page): Promise<SiteStorage> {
  const page = reuse ?? (await context.newPage());
  try {
    if (!reuse) await page.goto(`${origin}${INSPECTOR_PATH}`);
    return await page.evaluate(async () => {
      const out: Record<string, string[]> = {};
      for (const name of await caches.keys()) {
        out[name] = (await (await caches.open(name)).keys()).map((r) => r.url).sort();
      }
      return {
        caches: out,
        indexedDb: (await indexedDB.databases()).map((d) => d.name ?? ''),
        localStorage: Object.keys(localStorage),
        sessionStorage: Object.keys(sessionStorage),
        cookies: document.cookie,
        workers: (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope),
      };
    });
  } finally {
    if (!reuse) await page.close();
  }
}

/** Cache names as the service worker itself sees them: reading through the worker opens no client. */
export async function workerCacheNames(context: BrowserContext): Promise<string[] | null> {
  const sw: Worker | undefined = context.serviceWorkers().at(-1);
  if (!sw) return null;
  return sw.evaluate(() => caches.keys()).catch(() => null);
}

/** Leaves residue in a cache and a database: the app writes neither, so only a purge removes them. */
export async function plantResidue(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (await caches.open('planted')).put('/planted', new Response('x'));
    await new Promise((resolve, reject) => {
      const r = indexedDB.open('planted');
      r.onupgradeneeded = () => r.result.createObjectStore('s');
      r.onsuccess = () => {
        r.result.close();
        resolve(null);
      };
      r.onerror = () => reject(r.error ?? new Error('indexedDB open failed'));
    });
  });
}
