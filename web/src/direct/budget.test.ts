import { describe, expect, it } from 'vitest';
import { DIRECT_PEER_BYTES_BURST, DIRECT_PEER_BYTES_PER_SECOND, DIRECT_FRAME_BYTES, DIRECT_PEER_MESSAGE_BURST, DIRECT_PEER_MESSAGES_PER_SECOND } from '../../../protocol/src/limits.js';
import { PeerBudget, takeTokens } from './budget.js';

describe('peer receive budget', () => {
  it('refills continuously up to the burst', () => {
    const b = { tokens: 0, at: 0 };
    expect(takeTokens(b, 1, 2, 5, 400)).toBe(false);
    expect(takeTokens(b, 1, 2, 5, 500)).toBe(true);
    expect(takeTokens(b, 5, 2, 5, 100_000)).toBe(true);
    expect(takeTokens(b, 1, 2, 5, 100_000)).toBe(false);
  });

  it('shows a burst of messages, then about the rate, and recovers after the flood', () => {
    let now = 0;
    const budget = new PeerBudget(() => now);
    let shown = 0;
    // 10,000 messages in 60 s, as the hostile peer of issue 13 sent.
    for (let i = 0; i < 10_000; i++) {
      now = (i * 60_000) / 10_000;
      if (budget.message()) shown++;
    }
    expect(shown).toBeLessThanOrEqual(DIRECT_PEER_MESSAGE_BURST + DIRECT_PEER_MESSAGES_PER_SECOND * 60 + 1);
    expect(shown).toBeGreaterThanOrEqual(DIRECT_PEER_MESSAGE_BURST);
    now += 1000;
    expect(budget.message()).toBe(true);
  });

  it('opens frames up to the byte burst at once, then at the byte rate', () => {
    let now = 0;
    const budget = new PeerBudget(() => now);
    let opened = 0;
    while (budget.frame()) opened++;
    expect(opened).toBe(DIRECT_PEER_BYTES_BURST / DIRECT_FRAME_BYTES);
    now = 1000;
    opened = 0;
    while (budget.frame()) opened++;
    expect(opened).toBe(Math.floor(DIRECT_PEER_BYTES_PER_SECOND / DIRECT_FRAME_BYTES));
  });
});
