import { DIRECT_FRAME_BYTES } from '../../../protocol/src/limits.js';

/** Mean gap between cover packets when cover traffic is on. */
export const COVER_INTERVAL_MS = 2000;
/** Largest random delay added to a send when jitter is on. */
export const JITTER_MAX_MS = 400;

/** The stated cost of cover traffic: one frame of DIRECT_FRAME_BYTES per COVER_INTERVAL_MS, each way. */
export const COVER_BYTES_PER_SECOND = (DIRECT_FRAME_BYTES * 1000) / COVER_INTERVAL_MS;
/** The same, per hour, in MiB (for the page). */
export const COVER_MIB_PER_HOUR = (COVER_BYTES_PER_SECOND * 3600) / (1024 * 1024);

/**
 * Sends cover packets at random intervals (uniform in 0.5–1.5 × the mean, so
 * they do not tick like a clock) until stopped. Best effort: a watcher who
 * sees both ends' traffic over time can still correlate volume.
 */
export function startCover(send: () => void, random: () => number = Math.random): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      if (stopped) return;
      send();
      schedule();
    }, COVER_INTERVAL_MS * (0.5 + random()));
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A random send delay in [0, JITTER_MAX_MS). */
export const jitterDelay = (random: () => number = Math.random): number => Math.floor(random() * JITTER_MAX_MS);
