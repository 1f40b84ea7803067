import { describe, expect, it } from 'vitest';
import { SESSION_MARKER_CACHE } from './messages.js';
import { markSessionOpen, purge, sessionLeftOpen, type Caches, type Idb } from './purge.js';

function fakeCaches(names: string[]): Caches & { names: Set<string> } {
  const set = new Set(names);
  return {
    names: set,
    keys: async () => [...set],
    has: async (n: string) => set.has(n),
    delete: async (n: string) => set.delete(n),
    open: async (n: string) => (set.add(n), {} as Cache),
  };
}

function fakeIdb(names: string[]): Idb & { deleted: string[] } {
  const deleted: string[] = [];
  return {
    deleted,
    databases: async () => names.map((name) => ({ name, version: 1 })),
    deleteDatabase(name: string) {
      deleted.push(name);
      const req = {} as IDBOpenDBRequest;
      queueMicrotask(() => req.onsuccess?.(new Event('success')));
      return req;
    },
  };
}

describe('worker purge', () => {
  it('keeps only the shell and the release pin, drops the session marker and every database', async () => {
    const caches = fakeCaches(['shell', 'workbox-precache-v1-old', 'stray', SESSION_MARKER_CACHE, 'pin']);
    const idb = fakeIdb(['left-behind']);
    const r = await purge({ caches, idb, keep: ['shell', 'pin'], deep: false });
    expect([...caches.names].sort()).toEqual(['pin', 'shell']);
    expect(r.deletedCaches.sort()).toEqual([SESSION_MARKER_CACHE, 'stray', 'workbox-precache-v1-old'].sort());
    expect(idb.deleted).toEqual(['left-behind']);
  });

  it('keeps nothing on a deep purge, not even the pin', async () => {
    const caches = fakeCaches(['shell', SESSION_MARKER_CACHE, 'pin']);
    await purge({ caches, idb: undefined, keep: ['shell', 'pin'], deep: true });
    expect(caches.names.size).toBe(0);
  });

  it('records an open session as an empty, named cache', async () => {
    const caches = fakeCaches(['shell']);
    expect(await sessionLeftOpen(caches)).toBe(false);
    await markSessionOpen(caches);
    expect(await sessionLeftOpen(caches)).toBe(true);
  });
});
