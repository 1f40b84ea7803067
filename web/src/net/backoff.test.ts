import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';

describe('backoff', () => {
  it('grows the ceiling exponentially up to the cap, with full jitter below it', () => {
    expect(backoff(0, () => 0.999)).toBe(499);
    expect(backoff(3, () => 0.999)).toBe(3996);
    expect(backoff(30, () => 0.999)).toBe(14985);
    expect(backoff(5, () => 0)).toBe(0);
  });
});
