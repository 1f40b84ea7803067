/**
 * The wipe registry: every holder of secret state registers a function that
 * forgets it. wipeAll() runs them all synchronously. Zeroing and dropping
 * references is best effort: a JavaScript engine may have copied the bytes.
 */
type Wiper = () => void;
const wipers = new Set<Wiper>();

/** Registers a wipe function; returns a function that unregisters it. */
export function registerWipe(fn: Wiper): () => void {
  wipers.add(fn);
  return () => wipers.delete(fn);
}

/** Runs every registered wipe function, even if some throw; returns how many ran. */
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
