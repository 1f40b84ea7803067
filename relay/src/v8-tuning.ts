import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the relay process sets for itself at start, before it takes any
 * connection. Set from code, not on the `node` command line, so every way of
 * starting the relay (`npm start`, the container, `npx ghostwire`, a bare
 * `node dist/relay/main.js`) runs with them; `NODE_OPTIONS` refuses them.
 *
 * `--no-allocation-site-pretenuring`: once most objects from an
 * object-literal site survive young-generation GCs, V8 allocates that site's
 * objects straight into the old generation. After 10,000 members joined and
 * left, V8 made such decisions; at 20,000 deliveries/s the relay's off-heap
 * memory then grew about 12 MB/s until each full GC, where a fresh relay's
 * stayed flat, and V8 counts it against the old generation's limit:
 * a full GC every 0.5 s, p99 11–23 ms against 1.4–3.4 ms fresh. With the
 * flag: no full GC in four such 5 s windows, p99 2.3–3.9 ms, and join time,
 * memory per connection and a fresh relay's figures unchanged (BENCHMARKS.md,
 * "After 10,000 members leave"). Which sites V8 chose was not traced.
 */
const RELAY_V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

/** Applies RELAY_V8_FLAGS to this process (V8 reads this flag at each GC, so setting it at run time takes effect). */
export function tuneV8(): void {
  for (const flag of RELAY_V8_FLAGS) setFlagsFromString(flag);
}
