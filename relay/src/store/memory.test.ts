import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.js';
import { storeConformance } from './store.conformance.js';

storeConformance('memory', async () => new MemoryStore(Date.now, 100));

describe('MemoryStore clock', () => {
  it('reads expiry on the clock it was given, the one callers pass `now` from', async () => {
    let t = 1_000_000;
    const s = new MemoryStore(() => t, 60_000);
    const room = { id: 'clock-room', accessKeyHash: 'h', capacity: 2, createdAt: t, expiresAt: t + 1000, public: false, invites: false };
    expect(await s.createRoom(room, t, 500)).toBe(true);
    t += 400;
    expect(await s.getRoom(room.id)).not.toBeNull();
    t += 200;
    // 600 ms on the injected clock: past the 500 ms grace, though hardly any real time passed.
    expect(await s.getRoom(room.id)).toBeNull();
    await s.close();
  });
});
