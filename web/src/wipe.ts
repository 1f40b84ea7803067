/**
 * The wipe registry: every holder of secret state (keys, decrypted messages,
 * blob URLs, signals, sockets) registers a function that forgets it.
 * wipeAll() runs them all synchronously. Zeroing and dropping references is
 * best effort: a JavaScript engine may have copied the bytes, and the garbage
 * collector decides when dropped strings really leave memory.
 */
type Wiper = () => void;
const wipers = new Set<Wiper>();
const objectUrls = new Set<string>();

/** Registers a wipe function; returns a function that unregisters it. */
export function registerWipe(fn: Wiper): () => void {
  wipers.add(fn);
  return () => wipers.delete(fn);
}

/** Overwrites byte arrays with zeros (for holders' wipe functions). */
export function zero(...arrays: Array<Uint8Array | null | undefined>): void {
  for (const a of arrays) a?.fill(0);
}

/** URL.createObjectURL that the next wipe revokes, so no decrypted blob stays reachable by URL. */
export function createObjectUrl(blob: Blob, url: Pick<typeof URL, 'createObjectURL'> = URL): string {
  const u = url.createObjectURL(blob);
  objectUrls.add(u);
  return u;
}

/** Revokes one URL made by createObjectUrl before the wipe would. */
export function revokeObjectUrl(u: string, url: Pick<typeof URL, 'revokeObjectURL'> = URL): void {
  objectUrls.delete(u);
  url.revokeObjectURL(u);
}

/** How many holders are registered and blob URLs are live (the Privacy page shows it). */
export function wipeCounts(): { holders: number; objectUrls: number } {
  return { holders: wipers.size, objectUrls: objectUrls.size };
}

/** Runs every registered wipe function, even if some throw, and revokes every blob URL; returns how many ran. */
export function wipeAll(url: Pick<typeof URL, 'revokeObjectURL'> = URL): number {
  let n = 0;
  for (const fn of [...wipers]) {
    try {
      fn();
    } catch {
      // A failing wiper must not stop the others.
    }
    n++;
  }
  wipers.clear();
  for (const u of objectUrls) url.revokeObjectURL(u);
  objectUrls.clear();
  return n;
}
