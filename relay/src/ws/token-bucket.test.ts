import { describe, expect, it } from 'vitest';
import { WS_RATE_COST_BYTES } from '../../../protocol/src/limits.js';
import { messageCost, TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, refuses past it, and refills with time', () => {
    let t = 0;
    const b = new TokenBucket(10, 5, () => t);
    for (let i = 0; i < 5; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 100; // one token back at 10/s
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    t += 10_000;
    for (let i = 0; i < 5; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });

  it('charges large messages more', () => {
    expect(messageCost(10)).toBe(1);
    expect(messageCost(WS_RATE_COST_BYTES * 2 + 1)).toBe(3);
    const t = 0;
    const b = new TokenBucket(1, 3, () => t);
    expect(b.take(4)).toBe(false);
    expect(b.take(3)).toBe(true);
  });
});
