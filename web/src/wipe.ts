/**
 * The wipe registry: every holder of secret state (keys, decrypted messages,
 * blob URLs, signals, sockets) registers a function that forgets it.
 * wipeAll() runs them all synchronously. Zeroing and dropping references is
 * best effort: a JavaScript engine may have copied the bytes, and the garbage
 * collector decides when dropped strings really leave memory.
 */
type Wiper = () => void;
const wipers = new Set<Wiper>();

/** Registers a wipe function; returns a function that unregisters it. */
export function registerWipe(fn: Wiper): () => void {
  wipers.add(fn);
  return () => wipers.delete(fn);
}

/** Overwrites byte arrays with zeros (for holders' wipe functions). */
export function zero(...arrays: Array<Uint8Array | null | undefined>): void {
  for (const a of arrays) a?.fill(0);
}

/** Runs every registered wipe function, even if some throw (blob URLs: media/blob-urls.ts registers one); returns how many ran. */
export function wipeAll(): number {
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
  return n;
}
