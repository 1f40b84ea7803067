import { counterMinute } from './policy.js';
import type { RedisContext } from './redis-context.js';
import { COUNTER_BUCKETS, COUNTER_BUCKET_MS } from './store.js';

/** A minute bucket outlives the hour it is read for by one minute. */
export const COUNTER_TTL_MS = (COUNTER_BUCKETS + 1) * COUNTER_BUCKET_MS;

/** Adds `by` to a counter's current minute; the bucket gets its TTL in the same transaction (one key, one slot). */
export async function bumpCounter(c: RedisContext, name: string, now: number, by: number): Promise<void> {
  if (by <= 0) return;
  const k = c.keys.counter(name, counterMinute(now));
  await c.redis.multi().incrby(k, by).pexpire(k, COUNTER_TTL_MS).exec();
}

/** Events of the last `minutes` whole minutes plus the current one: one MGET, as a counter's buckets share a slot. */
export async function sumCounter(c: RedisContext, name: string, now: number, minutes: number): Promise<number> {
  const cur = counterMinute(now);
  const keys = Array.from({ length: minutes + 1 }, (_, i) => c.keys.counter(name, cur - i));
  return (await c.redis.mget(...keys)).reduce((n, v) => n + (Number(v ?? 0) || 0), 0);
}

/**
 * Message counts are added up in memory and written once a second, so
 * counting is not a second Redis command on every frame's path. A crash
 * loses at most the last second's count (a statistic, not state).
 */
export class BatchedCounter {
  private pending = 0;
  private at = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly c: RedisContext,
    private readonly name: string,
    everyMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), everyMs);
    this.timer.unref();
  }

  add(now: number): void {
    // A new minute flushes what belongs to the last one first.
    if (this.pending > 0 && counterMinute(now) !== counterMinute(this.at)) void this.flush().catch(() => undefined);
    this.pending++;
    this.at = now;
  }

  async flush(): Promise<void> {
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    try {
      await bumpCounter(this.c, this.name, this.at, n);
    } catch (err) {
      this.pending += n;
      throw err;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }
}
