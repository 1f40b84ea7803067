import { afterEach, describe, expect, it, vi } from 'vitest';
import { COVER_BYTES_PER_SECOND, COVER_INTERVAL_MS, JITTER_MAX_MS, jitterDelay, startCover } from './camouflage.js';

describe('cover traffic and jitter', () => {
  afterEach(() => vi.useRealTimers());

  it('sends cover packets at random gaps between half and one and a half times the mean, until stopped', () => {
    vi.useFakeTimers();
    let sent = 0;
    const gaps = [0, 0.999, 0.5];
    let i = 0;
    const stop = startCover(() => sent++, () => gaps[i++ % gaps.length]!);
    vi.advanceTimersByTime(COVER_INTERVAL_MS * 0.5);
    expect(sent).toBe(1);
    vi.advanceTimersByTime(COVER_INTERVAL_MS * 1.499 - 1);
    expect(sent).toBe(1);
    vi.advanceTimersByTime(1);
    expect(sent).toBe(2);
    stop();
    vi.advanceTimersByTime(COVER_INTERVAL_MS * 10);
    expect(sent).toBe(2);
  });

  it('states its cost: one 4096-byte frame per mean interval', () => {
    expect(COVER_BYTES_PER_SECOND).toBe(2048);
  });

  it('keeps jitter below its bound', () => {
    expect(jitterDelay(() => 0)).toBe(0);
    expect(jitterDelay(() => 0.9999)).toBe(JITTER_MAX_MS - 1);
  });
});
