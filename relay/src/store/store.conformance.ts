import { describe, expect, it } from 'vitest';
import type { GhostRecord, RoomRecord, Store } from './store.js';

const rid = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
const HOUR = 3_600_000;
const GRACE = 60_000;

function room(over: Partial<RoomRecord> = {}): RoomRecord {
  const now = Date.now();
  return { id: rid(), accessKeyHash: 'h'.repeat(43), capacity: 2, createdAt: now, expiresAt: now + HOUR, public: false, invites: false, ...over };
}

function ghost(over: Partial<GhostRecord> = {}): GhostRecord {
  const now = Date.now();
  return { id: rid(), tokenHash: 't'.repeat(43), publicKey: 'p'.repeat(60), alg: 'ECDSA-P256', createdAt: now, hardExpiresAt: now + 24 * HOUR, ...over };
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
    /** A live ghost to own memberships. */
    const aGhost = async (s: Store, over: Partial<GhostRecord> = {}) => {
      const g = ghost(over);
      expect(await s.createGhost(g, Date.now(), HOUR)).not.toBeNull();
      return g;
    };

    // --- optional encrypted backlog (issue 4) ---
    it('keeps the newest N backlog frames and reads those after a seq', withStore(async (s) => {
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      for (let seq = 1; seq <= 5; seq++) await s.appendBacklog(r.id, { seq, expiresAt: r.expiresAt, frame: `f${seq}|x` }, 3);
      expect((await s.readBacklog(r.id, 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(await s.readBacklog(r.id, 4)).toEqual([{ seq: 5, expiresAt: r.expiresAt, frame: 'f5|x' }]);
      expect(await s.readBacklog(rid(), 0)).toEqual([]);
    }));

    it('orders and trims the backlog by seq, whatever order the appends arrive in', withStore(async (s) => {
      // Two relay instances number frames from one counter but append on their own connections,
      // so seq 3 can land before seq 2.
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      for (const seq of [1, 3, 2, 5, 4]) await s.appendBacklog(r.id, { seq, expiresAt: r.expiresAt, frame: `f${seq}` }, 3);
      expect((await s.readBacklog(r.id, 0)).map((e) => e.frame)).toEqual(['f3', 'f4', 'f5']);
      // A late straggler older than everything kept is not resurrected.
      await s.appendBacklog(r.id, { seq: 0, expiresAt: r.expiresAt, frame: 'f0' }, 3);
      expect((await s.readBacklog(r.id, 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect((await s.readBacklog(r.id, 3)).map((e) => e.seq)).toEqual([4, 5]);
    }));

    it('drops backlog frames when their TTL passes and with the room', withStore(async (s) => {
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      await s.appendBacklog(r.id, { seq: 1, expiresAt: Date.now() + 150, frame: 'short' }, 10);
      await s.appendBacklog(r.id, { seq: 2, expiresAt: Date.now() + 60_000, frame: 'long' }, 10);
      await new Promise((res) => setTimeout(res, 300));
      expect((await s.readBacklog(r.id, 0)).map((e) => e.frame)).toEqual(['long']);
      await s.deleteRoom(r.id);
      expect(await s.readBacklog(r.id, 0)).toEqual([]);
    }));
    // --- end backlog ---

    it('creates a room once and reads it back', withStore(async (s) => {
      const r = room({ meta: 'bmFtZQ', public: true });
      expect(await s.createRoom(r, Date.now(), GRACE)).toBe(true);
      expect(await s.createRoom(r, Date.now(), GRACE)).toBe(false);
      expect(await s.getRoom(r.id)).toEqual(r);
    }));

    it('forgets a room after it expires', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room({ expiresAt: Date.now() + 150 });
      await s.createRoom(r, Date.now(), GRACE);
      await sleep(1200);
      expect(await s.getRoom(r.id)).toBeNull();
      expect((await s.joinRoom(r.id, 'm1', g.id, Date.now())).result).toBe('gone');
    }));

    it('ends a room nobody joins, or one its last member left, after the grace', withStore(async (s) => {
      const g = await aGhost(s);
      const lonely = room();
      await s.createRoom(lonely, Date.now(), 300);
      const used = room();
      await s.createRoom(used, Date.now(), 300);
      expect((await s.joinRoom(used.id, 'a', g.id, Date.now())).result).toBe('ok');
      await sleep(1200);
      expect(await s.getRoom(lonely.id)).toBeNull();
      // A member keeps the room past the grace it was created with.
      expect(await s.getRoom(used.id)).not.toBeNull();
      expect(await s.leaveRoom(used.id, 'a', g.id, Date.now(), 300)).toBe(0);
      expect(await s.getRoom(used.id)).not.toBeNull();
      await sleep(1200);
      expect(await s.getRoom(used.id)).toBeNull();
    }));

    it('claims a key once until its TTL passes', withStore(async (s) => {
      const k = `jti:${rid()}`;
      expect(await s.claimOnce(k, 1000)).toBe(true);
      expect(await s.claimOnce(k, 1000)).toBe(false);
      await sleep(1100);
      expect(await s.claimOnce(k, 1000)).toBe(true);
    }));

    it('enforces capacity, counts members and reports the others on join', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room({ capacity: 2 });
      await s.createRoom(r, Date.now(), GRACE);
      expect(await s.joinRoom(r.id, 'a', g.id, Date.now())).toMatchObject({ result: 'ok', members: [], seq: 0, room: r });
      expect(await s.joinRoom(r.id, 'b', g.id, Date.now())).toMatchObject({ result: 'ok', members: ['a'] });
      expect((await s.joinRoom(r.id, 'c', g.id, Date.now())).result).toBe('full');
      expect(await s.memberCount(r.id)).toBe(2);
      expect(await s.leaveRoom(r.id, 'a', g.id, Date.now(), GRACE)).toBe(1);
      expect((await s.joinRoom(r.id, 'c', g.id, Date.now())).result).toBe('ok');
    }));

    it('admits exactly capacity members under concurrent joins', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room({ capacity: 5 });
      await s.createRoom(r, Date.now(), GRACE);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.joinRoom(r.id, `m${i}`, g.id, Date.now())));
      expect(results.filter((x) => x.result === 'ok')).toHaveLength(5);
      expect(await s.memberCount(r.id)).toBe(5);
    }));

    it('refuses a member whose ghost does not exist', withStore(async (s) => {
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      expect((await s.joinRoom(r.id, 'a', rid(), Date.now())).result).toBe('no-ghost');
      expect(await s.memberCount(r.id)).toBe(0);
    }));

    it('deletes a room and its members at once', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'a', g.id, Date.now());
      await s.deleteRoom(r.id);
      expect(await s.getRoom(r.id)).toBeNull();
      expect(await s.memberCount(r.id)).toBe(0);
    }));

    it('numbers frames in one sequence per room and counts them', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'a', g.id, Date.now());
      const before = await s.recentCount('msg', Date.now(), 1);
      const seqs = await Promise.all([1, 2, 3].map(() => s.nextSeq(r.id, Date.now())));
      expect(seqs.map((x) => x.seq).sort()).toEqual([1, 2, 3]);
      expect(seqs[0]!.members).toBe(1);
      expect((await s.joinRoom(r.id, 'b', g.id, Date.now())).seq).toBe(3);
      expect(await s.recentCount('msg', Date.now(), 1)).toBeGreaterThanOrEqual(before + 3);
      expect(await s.nextSeq(rid(), Date.now())).toEqual({ seq: 0, members: 0 });
    }));

    it('numbers, keeps and warms frames sent together as it does frames sent one by one', withStore(async (s) => {
      const g = await aGhost(s);
      const together = room({ public: true, backlog: 4 });
      const apart = room({ public: true, backlog: 4 });
      for (const r of [together, apart]) {
        await s.createRoom(r, Date.now(), GRACE);
        await s.joinRoom(r.id, 'a', g.id, Date.now());
      }
      const now = Date.now();
      const plan = (i: number) => ({ head: `{"i":${i},"seq":`, tail: '}', backlogMax: 4, backlogExpiresAt: now + 60_000 });
      const sent = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => s.sendFrame(together.id, plan(i), now)));
      for (let i = 0; i < 6; i++) await s.sendFrame(apart.id, plan(i), now);
      expect(sent).toEqual([1, 2, 3, 4, 5, 6].map((seq) => ({ seq, members: 1 })));
      for (const r of [together, apart]) {
        expect(await s.readBacklog(r.id, 0)).toEqual([3, 4, 5, 6].map((seq) => ({ seq, expiresAt: now + 60_000, frame: `{"i":${seq - 1},"seq":${seq}}` })));
      }
      const list = await s.listPublicRooms(now, 50);
      const heat = (id: string) => list.find((p) => p.room.id === id)!.heat;
      expect(heat(together.id)).toBeGreaterThan(0);
      expect(heat(together.id)).toBe(heat(apart.id));
    }));


    it('numbers frames and a commit sent in one turn in the order they were sent, each kept with its own expiry', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room({ backlog: 3 });
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'a', g.id, Date.now());
      const now = Date.now();
      // One room's frames share their head (the Redis store numbers them in one script call); a commit sent
      // in the same turn comes after the frames sent before it, and a frame sent after it comes after it.
      const frame = (i: number) => ({ head: '{"seq":', tail: `,"f":${i}}`, backlogMax: 3, backlogExpiresAt: now + 60_000 + i });
      const sent = Promise.all([1, 2, 3, 4].map((i) => s.sendFrame(r.id, frame(i), now)));
      const committed = s.commit(r.id, 0, { head: '{"seq":', tail: ',"c":1}', backlogMax: 3, backlogExpiresAt: now + 60_000 }, now);
      const late = s.sendFrame(r.id, frame(5), now);
      expect(await sent).toEqual([1, 2, 3, 4].map((seq) => ({ seq, members: 1 })));
      expect(await committed).toMatchObject({ ok: true, seq: 5, epoch: 1 });
      expect(await late).toEqual({ seq: 6, members: 1 });
      expect(await s.readBacklog(r.id, 0)).toEqual([
        { seq: 4, expiresAt: now + 60_004, frame: '{"seq":4,"f":4}' },
        { seq: 5, expiresAt: now + 60_000, frame: '{"seq":5,"c":1}' },
        { seq: 6, expiresAt: now + 60_005, frame: '{"seq":6,"f":5}' },
      ]);
      // A member's frame sent just before it leaves is numbered while it is still a member.
      const last = s.sendFrame(r.id, frame(6), now);
      const left = s.leaveRoom(r.id, 'a', g.id, now, GRACE);
      expect(await last).toEqual({ seq: 7, members: 1 });
      expect(await left).toBe(0);
      // A room that is gone numbers none of a turn's frames.
      expect(await Promise.all([1, 2].map((i) => s.sendFrame(rid(), frame(i), now)))).toEqual([{ seq: 0, members: 0 }, { seq: 0, members: 0 }]);
    }));

    // --- MLS commits (the Delivery Service orders handshakes) ---
    const commitPlan = (i: number, backlogMax = 0) => ({ head: `{"c":${i},"seq":`, tail: '}', backlogMax, backlogExpiresAt: Date.now() + 60_000 });

    it('accepts a commit at the current epoch and refuses a stale one with the current epoch', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      expect((await s.joinRoom(r.id, 'a', g.id, Date.now())).epoch).toBe(0);
      expect(await s.commit(r.id, 0, commitPlan(0), Date.now())).toEqual({ ok: true, seq: 1, epoch: 1, members: 1 });
      expect(await s.commit(r.id, 0, commitPlan(1), Date.now())).toEqual({ ok: false, epoch: 1, gone: false });
      expect(await s.commit(r.id, 7, commitPlan(2), Date.now())).toEqual({ ok: false, epoch: 1, gone: false });
      expect(await s.commit(r.id, 1, commitPlan(3), Date.now())).toEqual({ ok: true, seq: 2, epoch: 2, members: 1 });
      // A refused commit takes no seq; a joiner learns the epoch with the seq.
      expect(await s.joinRoom(r.id, 'b', g.id, Date.now())).toMatchObject({ result: 'ok', seq: 2, epoch: 2 });
      expect(await s.commit(rid(), 0, commitPlan(4), Date.now())).toEqual({ ok: false, epoch: 0, gone: true });
    }));

    it('accepts exactly one of several concurrent commits at the same epoch', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room();
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'a', g.id, Date.now());
      for (const epoch of [0, 1]) {
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.commit(r.id, epoch, commitPlan(i), Date.now())));
        expect(results.filter((x) => x.ok)).toEqual([{ ok: true, seq: epoch + 1, epoch: epoch + 1, members: 1 }]);
        expect(results.filter((x) => !x.ok)).toEqual(Array.from({ length: 11 }, () => ({ ok: false, epoch: epoch + 1, gone: false })));
      }
    }));

    it('numbers commits in the one sequence of frames and keeps them in the backlog in seq order', withStore(async (s) => {
      const g = await aGhost(s);
      const r = room({ backlog: 10 });
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'a', g.id, Date.now());
      const now = Date.now();
      const frame = (i: number) => ({ head: `{"f":${i},"seq":`, tail: '}', backlogMax: 10, backlogExpiresAt: now + 60_000 });
      expect((await s.sendFrame(r.id, frame(1), now)).seq).toBe(1);
      expect(await s.commit(r.id, 0, commitPlan(1, 10), now)).toMatchObject({ ok: true, seq: 2, epoch: 1 });
      expect((await s.sendFrame(r.id, frame(2), now)).seq).toBe(3);
      expect(await s.commit(r.id, 0, commitPlan(2, 10), now)).toMatchObject({ ok: false, epoch: 1 });
      expect(await s.commit(r.id, 1, commitPlan(3, 10), now)).toMatchObject({ ok: true, seq: 4, epoch: 2 });
      expect((await s.readBacklog(r.id, 0)).map((e) => e.frame)).toEqual(['{"f":1,"seq":1}', '{"c":1,"seq":2}', '{"f":2,"seq":3}', '{"c":3,"seq":4}']);
      expect((await s.readBacklog(r.id, 2)).map((e) => e.seq)).toEqual([3, 4]);
    }));

    it('forgets the epoch with the room: at its end and when it is deleted', withStore(async (s) => {
      const g = await aGhost(s);
      const short = room({ expiresAt: Date.now() + 300 });
      await s.createRoom(short, Date.now(), GRACE);
      await s.joinRoom(short.id, 'a', g.id, Date.now());
      expect((await s.commit(short.id, 0, commitPlan(0), Date.now())).ok).toBe(true);
      await sleep(1200);
      expect(await s.commit(short.id, 1, commitPlan(1), Date.now())).toEqual({ ok: false, epoch: 0, gone: true });
      // Nothing of the old room's epoch is left for a room of the same id.
      const again = { ...short, expiresAt: Date.now() + HOUR };
      expect(await s.createRoom(again, Date.now(), GRACE)).toBe(true);
      expect((await s.joinRoom(again.id, 'a', g.id, Date.now())).epoch).toBe(0);
      expect((await s.commit(again.id, 0, commitPlan(2), Date.now())).ok).toBe(true);
      await s.deleteRoom(again.id);
      expect(await s.createRoom(again, Date.now(), GRACE)).toBe(true);
      expect((await s.joinRoom(again.id, 'b', g.id, Date.now())).epoch).toBe(0);
    }));
    // --- end MLS commits ---

    it('lists public rooms only, with participants and heat that rises with messages', withStore(async (s) => {
      const g = await aGhost(s);
      const pub = room({ public: true, meta: 'bG9iYnk' });
      const quiet = room({ public: true });
      const priv = room();
      for (const r of [pub, quiet, priv]) await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(pub.id, 'a', g.id, Date.now());
      await s.joinRoom(quiet.id, 'b', g.id, Date.now());
      for (let i = 0; i < 5; i++) await s.nextSeq(pub.id, Date.now());
      const list = await s.listPublicRooms(Date.now(), 50);
      const ids = list.map((p) => p.room.id);
      expect(ids).toContain(pub.id);
      expect(ids).not.toContain(priv.id);
      const hot = list.find((p) => p.room.id === pub.id)!;
      expect(hot).toMatchObject({ participants: 1, room: { meta: 'bG9iYnk' } });
      expect(hot.heat).toBeGreaterThan(0);
      expect(hot.heat).toBeLessThan(1);
      expect(list.find((p) => p.room.id === quiet.id)!.heat).toBe(0);
      expect(ids.indexOf(pub.id)).toBeLessThan(ids.indexOf(quiet.id));
    }));

    it('slides a ghost session on activity, never past its hard cap, and checks the token hash', withStore(async (s) => {
      const now = Date.now();
      const g = ghost({ hardExpiresAt: now + 5000 });
      const created = await s.createGhost(g, now, 1000);
      expect(created).toMatchObject({ id: g.id, expiresAt: now + 1000 });
      expect(await s.createGhost(g, now, 1000)).toBeNull();
      expect((await s.touchGhost(g.id, now + 500, 1000, g.tokenHash))?.expiresAt).toBe(now + 1500);
      expect((await s.touchGhost(g.id, now + 600, 60_000))?.expiresAt).toBe(now + 5000);
      expect(await s.touchGhost(g.id, now, 1000, 'x'.repeat(43))).toBeNull();
      expect(await s.touchGhost(rid(), now, 1000)).toBeNull();
      expect((await s.touchGhost(g.id, now, 1000, g.tokenHash))?.publicKey).toBe(g.publicKey);
    }));

    it('lets a ghost expire when idle', withStore(async (s) => {
      const g = ghost();
      await s.createGhost(g, Date.now(), 300);
      await sleep(1200);
      expect(await s.touchGhost(g.id, Date.now(), 300)).toBeNull();
    }));

    it('destroys a ghost with its buckets and memberships, and reports its footprint until then', withStore(async (s) => {
      const g = await aGhost(s);
      const other = await aGhost(s);
      const r = room({ capacity: 3 });
      await s.createRoom(r, Date.now(), GRACE);
      await s.joinRoom(r.id, 'mine', g.id, Date.now());
      await s.joinRoom(r.id, 'theirs', other.id, Date.now());
      await s.takeToken(`g:${g.id}:rooms`, { capacity: 3, refillPerSecond: 1 }, Date.now(), g.id);
      expect(await s.isMember(r.id, g.id)).toBe(true);
      const kinds = (await s.ghostFootprint(g.id)).map((f) => f.kind).sort();
      expect(kinds).toEqual(['ghost', 'key-index', 'membership', 'rate-limit']);
      for (const f of await s.ghostFootprint(g.id)) expect(f.expiresAt).toBeGreaterThan(Date.now());

      expect(await s.destroyGhost(g.id, Date.now(), GRACE)).toBe(true);
      expect(await s.destroyGhost(g.id, Date.now(), GRACE)).toBe(false);
      expect(await s.touchGhost(g.id, Date.now(), HOUR)).toBeNull();
      expect(await s.ghostFootprint(g.id)).toEqual([]);
      expect(await s.isMember(r.id, g.id)).toBe(false);
      expect(await s.memberCount(r.id)).toBe(1);
      expect(await s.isMember(r.id, other.id)).toBe(true);
      // The bucket went with it: a fresh one is full again.
      expect((await s.takeToken(`g:${g.id}:rooms`, { capacity: 1, refillPerSecond: 0.001 }, Date.now())).ok).toBe(true);
    }));

    it('lets a ghost that left a room with invites rejoin within its grace, and no one else', withStore(async (s) => {
      const g = await aGhost(s);
      const other = await aGhost(s);
      const r = room({ invites: true, capacity: 3 });
      const plain = room({ capacity: 3 });
      await s.createRoom(r, Date.now(), GRACE);
      await s.createRoom(plain, Date.now(), GRACE);
      expect(await s.mayRejoin(r.id, g.id, Date.now())).toBe(false);
      // A ghost a ticket admitted may retry before it ever joins; only in a room with invites.
      const admitted = await aGhost(s);
      await s.grantRejoin(r.id, admitted.id, Date.now(), HOUR);
      await s.grantRejoin(plain.id, admitted.id, Date.now(), HOUR);
      expect(await s.mayRejoin(r.id, admitted.id, Date.now())).toBe(true);
      expect(await s.mayRejoin(plain.id, admitted.id, Date.now())).toBe(false);
      await s.joinRoom(r.id, 'm1', g.id, Date.now());
      await s.joinRoom(plain.id, 'm2', g.id, Date.now());
      await s.joinRoom(r.id, 'm3', other.id, Date.now());
      expect(await s.mayRejoin(r.id, g.id, Date.now())).toBe(true);
      await s.leaveRoom(r.id, 'm1', g.id, Date.now(), GRACE, 600);
      await s.leaveRoom(plain.id, 'm2', g.id, Date.now(), GRACE, 600);
      expect(await s.isMember(r.id, g.id)).toBe(false);
      expect(await s.mayRejoin(r.id, g.id, Date.now())).toBe(true);
      // Only rooms with invites keep a grace; a ghost that never joined has none.
      expect(await s.mayRejoin(plain.id, g.id, Date.now())).toBe(false);
      expect(await s.mayRejoin(r.id, (await aGhost(s)).id, Date.now())).toBe(false);
      expect((await s.ghostFootprint(g.id)).map((f) => f.kind)).toContain('membership');
      await sleep(800);
      expect(await s.mayRejoin(r.id, g.id, Date.now())).toBe(false);
      // Destroying a ghost ends its grace at once.
      await s.leaveRoom(r.id, 'm3', other.id, Date.now(), GRACE, HOUR);
      expect(await s.mayRejoin(r.id, other.id, Date.now())).toBe(true);
      expect(await s.destroyGhost(other.id, Date.now(), GRACE)).toBe(true);
      expect(await s.mayRejoin(r.id, other.id, Date.now())).toBe(false);
    }));

    it('takes tokens from a bucket until empty, then refills with time', withStore(async (s) => {
      const spec = { capacity: 3, refillPerSecond: 10 };
      const key = `t:${rid()}`;
      const now = Date.now();
      const takes = [];
      for (let i = 0; i < 4; i++) takes.push(await s.takeToken(key, spec, now));
      expect(takes.map((t) => t.ok)).toEqual([true, true, true, false]);
      expect(takes[3]!.retryAfterMs).toBeGreaterThan(0);
      expect(takes[3]!.retryAfterMs).toBeLessThanOrEqual(100);
      expect((await s.takeToken(key, spec, now + 150)).ok).toBe(true);
    }));

    it('counts events per minute and reports aggregates', withStore(async (s) => {
      const now = Date.now();
      const before = await s.recentCount('room', now, 59);
      await s.count('room', now);
      await s.count('room', now);
      expect(await s.recentCount('room', now, 59)).toBe(before + 2);
      expect(await s.recentCount('room', now + 120 * 60_000, 59)).toBe(0);

      const g = await aGhost(s);
      const r = room({ public: true });
      await s.createRoom(r, now, GRACE);
      // The session "ends" 5 s from now; every reading is taken at that moment, or the counters'
      // minute bucket may be the next one and not yet counted (a flake at minute boundaries).
      const end = Date.now() + 5000;
      const st = await s.stats(end);
      expect(st.activeGhosts).toBeGreaterThanOrEqual(1);
      expect(st.activeRooms).toBeGreaterThanOrEqual(1);
      expect(st.publicRooms).toBeGreaterThanOrEqual(1);
      await s.destroyGhost(g.id, end, GRACE);
      const after = await s.stats(end);
      expect(after.activeGhosts).toBe(st.activeGhosts - 1);
      expect(after.endedSessions).toBeGreaterThanOrEqual(st.endedSessions + 1);
      expect(after.endedSessionMs).toBeGreaterThanOrEqual(st.endedSessionMs + 4000);
    }));

    it('has a stable epoch', withStore(async (s) => {
      expect(await s.epoch()).toBe(await s.epoch());
      await s.ping();
    }));
  });
}
