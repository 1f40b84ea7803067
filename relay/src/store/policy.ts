import { COUNTER_BUCKET_MS, HEAT_SCALE, HEAT_TAU_MS, type BucketSpec, type FootprintKind, type FootprintRecord, type PublicRoom } from './store.js';

/**
 * The store's arithmetic, in pure functions both stores call, so memory and
 * Redis cannot drift. The Redis store's Lua (redis-scripts.ts, redis-room-scripts.ts) repeats the
 * parts that must run inside a script; the conformance suite holds both to
 * these.
 */

/** A room's raw heat `h` last set at `at`, decayed to `now` (HEAT_TAU_MS). */
export const decayHeat = (h: number, at: number, now: number): number => h * Math.exp(-Math.max(0, now - at) / HEAT_TAU_MS);

/** One message warms a room by 1 on top of its decayed heat. */
export const warmHeat = (h: number, at: number, now: number): number => decayHeat(h, at, now) + 1;

/** Raw heat mapped to 0–1 by 1 − e^(−h / HEAT_SCALE). */
export const heatLevel = (h: number): number => 1 - Math.exp(-h / HEAT_SCALE);

/** The lobby's order: hottest first, then the fuller room. */
export const rankPublicRooms = (rows: PublicRoom[], limit: number): PublicRoom[] =>
  [...rows].sort((a, b) => b.heat - a.heat || b.participants - a.participants).slice(0, limit);

export interface BucketState {
  tokens: number;
  at: number;
}

export interface BucketTake {
  ok: boolean;
  /** Tokens left after this take. */
  tokens: number;
  retryAfterMs: number;
  /** When the bucket is full again (a bucket that is full may be forgotten): the key's TTL. */
  ttlMs: number;
}

/** A token bucket's take at `now`: refill since `state.at`, then take `cost` if there are enough. */
export function takeFromBucket(state: BucketState | undefined, spec: BucketSpec, now: number, cost: number): BucketTake {
  const prev = state ?? { tokens: spec.capacity, at: now };
  const tokens = Math.min(spec.capacity, prev.tokens + (Math.max(0, now - prev.at) / 1000) * spec.refillPerSecond);
  const ok = tokens >= cost;
  const left = ok ? tokens - cost : tokens;
  return {
    ok,
    tokens: left,
    retryAfterMs: ok ? 0 : Math.ceil(((cost - tokens) / spec.refillPerSecond) * 1000),
    ttlMs: Math.ceil(((spec.capacity - left) / spec.refillPerSecond) * 1000) + 1000,
  };
}

/** The minute bucket a counter event at `now` falls in. */
export const counterMinute = (now: number): number => Math.floor(now / COUNTER_BUCKET_MS);

/** The footprint summary: one row per kind that has live records, with the latest expiry. Input: [kind, expiresAt] of each record. */
export function summariseFootprint(ghostExpiresAt: number, hasIndex: boolean, items: [FootprintKind, number][], now: number): FootprintRecord[] {
  const out: FootprintRecord[] = [{ kind: 'ghost', count: 1, expiresAt: ghostExpiresAt }];
  if (hasIndex) out.push({ kind: 'key-index', count: 1, expiresAt: ghostExpiresAt });
  for (const kind of ['rate-limit', 'membership'] as const) {
    const live = items.filter(([k, t]) => k === kind && t > now).map(([, t]) => t);
    if (live.length) out.push({ kind, count: live.length, expiresAt: Math.max(...live) });
  }
  return out;
}

/** A ghost's session expiry after activity at `now`: slides forward, never back, never past the hard cap. */
export const slideSession = (current: number, now: number, sessionTtlMs: number, hardExpiresAt: number): number =>
  Math.max(current, Math.min(now + sessionTtlMs, hardExpiresAt));
