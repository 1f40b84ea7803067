import { WS_RATE_COST_BYTES } from '../../../protocol/src/limits.js';

/** What one WebSocket message of `bytes` length costs: one token, plus one per WS_RATE_COST_BYTES. */
export const messageCost = (bytes: number): number => 1 + Math.floor(bytes / WS_RATE_COST_BYTES);

/**
 * A token bucket (RFC 2697's idea, one rate): `burst` tokens at most,
 * refilled continuously at `perSecond`. Time is injected so tests need no
 * clock.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `cost` tokens if there are enough; false (taking none) if not. */
  take(cost = 1): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
