/** What this browser holds for this site right now, as the page can see it. */
export interface DeviceFootprint {
  caches: Array<{ name: string; entries: number }>;
  /** Bytes used and quota, from navigator.storage.estimate(); null where unsupported. */
  storage: { usage: number; quota: number } | null;
  localStorageKeys: number;
  sessionStorageKeys: number;
  indexedDbNames: string[] | null;
  cookies: number;
  serviceWorker: 'none' | 'installing' | 'waiting' | 'active';
}

/** Reads the device-side footprint; every probe is best effort and never throws. */
export async function readDeviceFootprint(): Promise<DeviceFootprint> {
  const caches_ = await (async () => {
    try {
      const names = await caches.keys();
      return await Promise.all(names.map(async (name) => ({ name, entries: (await (await caches.open(name)).keys()).length })));
    } catch {
      return [];
    }
  })();
  const storage = await navigator.storage
    ?.estimate()
    .then((e) => ({ usage: e.usage ?? 0, quota: e.quota ?? 0 }))
    .catch(() => null);
  const indexedDbNames = await (indexedDB as IDBFactory & { databases?: () => Promise<Array<{ name?: string }>> })
    .databases?.()
    .then((dbs) => dbs.map((d) => d.name ?? '?'))
    .catch(() => null);
  const reg = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  return {
    caches: caches_,
    storage: storage ?? null,
    localStorageKeys: safeLength(() => localStorage.length),
    sessionStorageKeys: safeLength(() => sessionStorage.length),
    indexedDbNames: indexedDbNames ?? null,
    cookies: document.cookie ? document.cookie.split(';').length : 0,
    serviceWorker: reg?.active ? 'active' : reg?.waiting ? 'waiting' : reg?.installing ? 'installing' : 'none',
  };
}

function safeLength(f: () => number): number {
  try {
    return f();
  } catch {
    return 0;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
