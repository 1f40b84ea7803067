import { SESSION_MARKER_CACHE } from './messages.js';

/** The parts of CacheStorage a purge needs (the worker's `caches`, or a fake in unit tests). */
export type Caches = Pick<CacheStorage, 'keys' | 'delete' | 'has' | 'open'>;
/** The parts of IDBFactory a purge needs; `databases()` is missing in older browsers. */
export type Idb = { databases?: () => Promise<IDBDatabaseInfo[]>; deleteDatabase(name: string): IDBOpenDBRequest };

export interface PurgeResult {
  deletedCaches: string[];
  deletedDatabases: string[];
}

/**
 * Deletes every cache whose name is not in `keep`. The shell is the only cache
 * this app fills; anything else (an old version's shell, or something a bug or
 * an extension left) goes. Deleting the marker ends the session cleanly.
 */
export async function purgeCaches(caches: Caches, keep: readonly string[]): Promise<string[]> {
  const names = await caches.keys();
  const doomed = names.filter((n) => !keep.includes(n));
  await Promise.all(doomed.map((n) => caches.delete(n)));
  return doomed;
}

/**
 * Deletes every IndexedDB database of this origin. The app never writes one;
 * this removes what a library or an older build might have left. Where the
 * browser cannot list databases, nothing can be named, so nothing is deleted.
 */
export async function purgeDatabases(idb: Idb | undefined): Promise<string[]> {
  if (!idb?.databases) return [];
  const names = (await idb.databases()).map((d) => d.name).filter((n): n is string => !!n);
  await Promise.all(
    names.map(
      (n) =>
        new Promise<void>((resolve) => {
          const req = idb.deleteDatabase(n);
          // A page still holding the database open blocks deletion until it closes; do not wait forever.
          req.onsuccess = req.onerror = req.onblocked = () => resolve();
        }),
    ),
  );
  return names;
}

/**
 * A session purge keeps `keep` (the current shell and the release pin: public, and the pin is what
 * lets the old code notice other code); a deep purge keeps nothing. Either ends the session (drops the marker).
 */
export async function purge(deps: { caches: Caches; idb: Idb | undefined; keep: readonly string[]; deep: boolean }): Promise<PurgeResult> {
  const [deletedCaches, deletedDatabases] = await Promise.all([
    purgeCaches(deps.caches, deps.deep ? [] : deps.keep),
    purgeDatabases(deps.idb),
  ]);
  return { deletedCaches, deletedDatabases };
}

/** Records that a session is open (creates the empty marker cache). */
export async function markSessionOpen(caches: Caches): Promise<void> {
  await caches.open(SESSION_MARKER_CACHE);
}

/** Whether the last session left its marker behind (it did not end cleanly). */
export function sessionLeftOpen(caches: Caches): Promise<boolean> {
  return caches.has(SESSION_MARKER_CACHE);
}
