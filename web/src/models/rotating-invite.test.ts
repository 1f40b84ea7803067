import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RotatingInvite } from './rotating-invite.js';

describe('RotatingInvite', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  it('shows a fresh ticket and replaces it before the refresh interval or its expiry', async () => {
    let n = 0;
    const mint = vi.fn(async () => ({ ticket: `t${++n}`, expiresAt: Date.now() + 30_000 }));
    const inv = new RotatingInvite({ mint, linkFor: (t) => `L#${t}`, refreshMs: 25_000 });
    inv.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(inv.state.value).toMatchObject({ link: 'L#t1', refreshAt: 1_025_000, error: null });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(inv.state.value.link).toBe('L#t2');
    inv.stop();
    expect(inv.state.value.link).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(mint).toHaveBeenCalledTimes(2);
  });

  it('says so and retries when the relay gives none, dropping a link whose ticket ran out', async () => {
    let fail = false;
    const inv = new RotatingInvite({
      mint: async () => {
        if (fail) throw new Error('offline');
        return { ticket: 'ok', expiresAt: Date.now() + 30_000 };
      },
      linkFor: (t) => t,
      retryMs: 1_000,
    });
    inv.start();
    await vi.advanceTimersByTimeAsync(0);
    fail = true;
    await vi.advanceTimersByTimeAsync(25_000);
    expect(inv.state.value.error).toMatch(/Trying again/);
    expect(inv.state.value.link).toBe('ok');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(inv.state.value.link).toBeNull();
    fail = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(inv.state.value).toMatchObject({ link: 'ok', error: null });
    inv.stop();
  });
});
