/**
 * Where a release's manifest is served and where the worker keeps the pin.
 *
 * The pin is the manifest (and signature, if any) of the release this worker
 * was installed from. It is not a secret: every copy of a release serves the
 * same files. It is what lets the running (old, trusted) code notice that the
 * relay now serves something else, so the session purge keeps it and only a
 * deep wipe removes it (docs/anti-forensics.md).
 */
export const MANIFEST_PATH = '/.well-known/ghostwire/manifest.json';
export const SIGNATURE_PATH = '/.well-known/ghostwire/signature.json';

/** The one cache besides the shell and the session marker: two entries at most, both public. */
export const PIN_CACHE = 'ghostwire-release-pin';
/** The release the active worker was installed from. */
export const PIN_ACTIVE = '/.well-known/ghostwire/pin/active';
/** The release a newer worker was installed from while it waits (what it claims to be; the old code checks). */
export const PIN_PENDING = '/.well-known/ghostwire/pin/pending';

/** What a pin entry holds: the manifest's exact bytes (as text) and the signature file's, or null if unsigned. */
export interface PinRecord {
  manifest: string;
  signature: string | null;
}

type PinCaches = Pick<CacheStorage, 'open' | 'has'>;

/** Fetches the manifest and signature the relay serves now, straight from the network. */
export async function fetchRelease(fetchFn: typeof fetch, origin: string): Promise<PinRecord | null> {
  const opts: RequestInit = { cache: 'no-store', credentials: 'omit', redirect: 'error' };
  const m = await fetchFn(new URL(MANIFEST_PATH, origin), opts);
  if (!m.ok) return null;
  const s = await fetchFn(new URL(SIGNATURE_PATH, origin), opts).catch(() => null);
  return { manifest: await m.text(), signature: s?.ok ? await s.text() : null };
}

export async function writePin(caches: PinCaches, slot: string, rec: PinRecord): Promise<void> {
  const cache = await caches.open(PIN_CACHE);
  await cache.put(slot, new Response(JSON.stringify(rec), { headers: { 'content-type': 'application/json' } }));
}

/** The raw text of a pin entry, or null. The reader parses it (it crossed a boundary: storage). */
export async function readPinText(caches: PinCaches, slot: string): Promise<string | null> {
  // caches.open() would create the cache: a page that only looks must leave no trace.
  if (!(await caches.has(PIN_CACHE))) return null;
  const cache = await caches.open(PIN_CACHE);
  const r = await cache.match(slot);
  return r ? r.text() : null;
}

/** Whether an active pin exists (some release was installed and activated before). */
export async function hasActivePin(caches: PinCaches): Promise<boolean> {
  return (await caches.has(PIN_CACHE)) && !!(await (await caches.open(PIN_CACHE)).match(PIN_ACTIVE));
}

/** Moves the pending pin to active (the waiting worker has just been accepted and activated). */
export async function promotePin(caches: PinCaches): Promise<void> {
  const cache = await caches.open(PIN_CACHE);
  const pending = await cache.match(PIN_PENDING);
  if (pending) {
    await cache.put(PIN_ACTIVE, pending);
    await cache.delete(PIN_PENDING);
  }
}
