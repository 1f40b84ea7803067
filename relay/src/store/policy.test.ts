import { describe, expect, it } from 'vitest';
import { decayHeat, heatLevel, rankPublicRooms, slideSession, summariseFootprint, takeFromBucket, warmHeat } from './policy.js';
import { HEAT_TAU_MS, type PublicRoom, type RoomRecord } from './store.js';

const room = (id: string): RoomRecord => ({ id, accessKeyHash: 'h', capacity: 2, createdAt: 0, expiresAt: 1, public: true, invites: false });

describe('store policy', () => {
  it('decays heat with HEAT_TAU_MS and never warms it from a clock that went back', () => {
    expect(decayHeat(10, 0, HEAT_TAU_MS)).toBeCloseTo(10 / Math.E);
    expect(decayHeat(10, 1000, 0)).toBe(10);
    expect(warmHeat(0, 0, 0)).toBe(1);
    expect(heatLevel(0)).toBe(0);
    expect(heatLevel(1e6)).toBeCloseTo(1);
  });

  it('ranks the lobby hottest first, then fuller, and cuts at the limit', () => {
    const rows: PublicRoom[] = [
      { room: room('a'), participants: 5, heat: 0.1 },
      { room: room('b'), participants: 1, heat: 0.9 },
      { room: room('c'), participants: 9, heat: 0.1 },
    ];
    expect(rankPublicRooms(rows, 2).map((r) => r.room.id)).toEqual(['b', 'c']);
  });

  it('takes tokens until empty, says when one is back, and refills with time', () => {
    const spec = { capacity: 2, refillPerSecond: 10 };
    const a = takeFromBucket(undefined, spec, 0, 1);
    const b = takeFromBucket({ tokens: a.tokens, at: 0 }, spec, 0, 1);
    const c = takeFromBucket({ tokens: b.tokens, at: 0 }, spec, 0, 1);
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    expect(c.retryAfterMs).toBe(100);
    expect(takeFromBucket({ tokens: 0, at: 0 }, spec, 100, 1).ok).toBe(true);
    // A full bucket may be forgotten one second after it refilled.
    expect(a.ttlMs).toBe(1100);
  });

  it('slides a session forward only, never past the hard cap', () => {
    expect(slideSession(100, 50, 100, 1000)).toBe(150);
    expect(slideSession(500, 50, 100, 1000)).toBe(500);
    expect(slideSession(100, 950, 100, 1000)).toBe(1000);
  });

  it('summarises a footprint by kind with the latest live expiry', () => {
    const out = summariseFootprint(900, true, [['rate-limit', 500], ['rate-limit', 700], ['membership', 50]], 100);
    expect(out).toEqual([
      { kind: 'ghost', count: 1, expiresAt: 900 },
      { kind: 'key-index', count: 1, expiresAt: 900 },
      { kind: 'rate-limit', count: 2, expiresAt: 700 },
    ]);
  });
});
