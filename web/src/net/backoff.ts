/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, 2015): a random
 * delay in [0, min(cap, base·2^attempt)], so reconnecting clients spread out
 * instead of stampeding a relay that just came back.
 */
export function backoff(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 15_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
