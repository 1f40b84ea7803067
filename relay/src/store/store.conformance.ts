import { describe, expect, it } from 'vitest';
import type { RoomRecord, Store } from './store.js';

const rid = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

function room(over: Partial<RoomRecord> = {}): RoomRecord {
  const now = Date.now();
  return { id: rid(), accessKeyHash: 'h'.repeat(43), capacity: 2, createdAt: now, expiresAt: now + 60_000, ...over };
}

/** The behaviour every Store must have; run against each implementation. */
export function storeConformance(name: string, make: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await make();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };

    it('creates a room once and reads it back', withStore(async (s) => {
      const r = room();
      expect(await s.createRoom(r)).toBe(true);
      expect(await s.createRoom(r)).toBe(false);
      expect(await s.getRoom(r.id)).toEqual(r);
    }));

    it('forgets a room after it expires', withStore(async (s) => {
      const r = room({ expiresAt: Date.now() + 150 });
      await s.createRoom(r);
      await new Promise((res) => setTimeout(res, 1200));
      expect(await s.getRoom(r.id)).toBeNull();
      expect(await s.joinRoom(r.id, 'm1')).toBe('gone');
    }));

    it('claims a key once until its TTL passes', withStore(async (s) => {
      const k = `jti:${rid()}`;
      expect(await s.claimOnce(k, 1000)).toBe(true);
      expect(await s.claimOnce(k, 1000)).toBe(false);
      await new Promise((res) => setTimeout(res, 1100));
      expect(await s.claimOnce(k, 1000)).toBe(true);
    }));

    it('enforces capacity and counts members', withStore(async (s) => {
      const r = room({ capacity: 2 });
      await s.createRoom(r);
      expect(await s.joinRoom(r.id, 'a')).toBe('ok');
      expect(await s.joinRoom(r.id, 'b')).toBe('ok');
      expect(await s.joinRoom(r.id, 'c')).toBe('full');
      expect(await s.memberCount(r.id)).toBe(2);
      expect(await s.leaveRoom(r.id, 'a')).toBe(1);
      expect(await s.joinRoom(r.id, 'c')).toBe('ok');
    }));

    it('admits exactly capacity members under concurrent joins', withStore(async (s) => {
      const r = room({ capacity: 5 });
      await s.createRoom(r);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.joinRoom(r.id, `m${i}`)));
      expect(results.filter((x) => x === 'ok')).toHaveLength(5);
      expect(await s.memberCount(r.id)).toBe(5);
    }));

    it('deletes a room and its members at once', withStore(async (s) => {
      const r = room();
      await s.createRoom(r);
      await s.joinRoom(r.id, 'a');
      await s.deleteRoom(r.id);
      expect(await s.getRoom(r.id)).toBeNull();
      expect(await s.memberCount(r.id)).toBe(0);
    }));

    // --- optional encrypted backlog (issue 4) ---
    it('keeps the newest N backlog frames and reads those after a seq', withStore(async (s) => {
      const r = room();
      await s.createRoom(r);
      for (let seq = 1; seq <= 5; seq++) await s.appendBacklog(r.id, { seq, expiresAt: r.expiresAt, frame: `f${seq}|x` }, 3);
      expect((await s.readBacklog(r.id, 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(await s.readBacklog(r.id, 4)).toEqual([{ seq: 5, expiresAt: r.expiresAt, frame: 'f5|x' }]);
      expect(await s.readBacklog(rid(), 0)).toEqual([]);
    }));

    it('drops backlog frames when their TTL passes and with the room', withStore(async (s) => {
      const r = room();
      await s.createRoom(r);
      await s.appendBacklog(r.id, { seq: 1, expiresAt: Date.now() + 150, frame: 'short' }, 10);
      await s.appendBacklog(r.id, { seq: 2, expiresAt: Date.now() + 60_000, frame: 'long' }, 10);
      await new Promise((res) => setTimeout(res, 300));
      expect((await s.readBacklog(r.id, 0)).map((e) => e.frame)).toEqual(['long']);
      await s.deleteRoom(r.id);
      expect(await s.readBacklog(r.id, 0)).toEqual([]);
    }));
    // --- end backlog ---

    it('has a stable epoch', withStore(async (s) => {
      expect(await s.epoch()).toBe(await s.epoch());
      await s.ping();
    }));
  });
}
