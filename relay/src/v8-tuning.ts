import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the relay process sets for itself at start, before it takes any
 * connection. Set from code, not on the `node` command line, so every way of
 * starting the relay (`npm start`, the container, `npx ghostwire`, a bare
 * `node dist/relay/main.js`) runs with them; `NODE_OPTIONS` refuses them.
 *
 * `--no-allocation-site-pretenuring`: once most objects from an
 * object-literal site survive young-generation GCs, V8 allocates that site's
 * objects straight into the old generation. After a storm of joins it made
 * such decisions, and under load the relay's off-heap memory then piled up
 * until each full GC; V8 counts that memory against the old generation's
 * limit, so it ran a full GC about every 0.5 s and p99 rose several-fold. The
 * traces, the other levers tried and the A/B are in BENCHMARKS.md, run D,
 * "The cause: V8 pretenuring after the join storm".
 */
const RELAY_V8_FLAGS = ['--no-allocation-site-pretenuring'] as const;

/** Applies RELAY_V8_FLAGS to this process (V8 reads this flag at each GC, so setting it at run time takes effect). */
export function tuneV8(): void {
  for (const flag of RELAY_V8_FLAGS) setFlagsFromString(flag);
}
