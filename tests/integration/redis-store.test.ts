import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { RedisBus } from '../../relay/src/bus/redis-bus.js';
import { createLogger } from '../../relay/src/log.js';
import type { RedisTarget } from '../../relay/src/store/redis-connect.js';
import { HEARTBEAT_TTL_MS } from '../../relay/src/store/redis-instances.js';
import { RedisStore } from '../../relay/src/store/redis.js';
import { storeConformance } from '../../relay/src/store/store.conformance.js';
import type { GhostRecord, RoomRecord } from '../../relay/src/store/store.js';
import { clusterKeyTtls, redisClusterFixture } from '../support/redis-cluster.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const DAY = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// One after the other: forming the cluster blocks the event loop (redis-cli --cluster create) long
// enough to time out a concurrent ping of REDIS_URL.
const single = await redisFixture();
const cluster = await redisClusterFixture();
afterAll(async () => {
  await Promise.all([single?.stop(), cluster?.stop()]);
});

let n = 0;
const id = (what: string) => `${what}-${process.pid}-${++n}`.padEnd(22, '0');
const ghostRec = (now: number, over: Partial<GhostRecord> = {}): GhostRecord => ({ id: id('g'), tokenHash: 't', publicKey: 'p', alg: 'ECDSA-P256', createdAt: now, hardExpiresAt: now + 60_000, ...over });
const roomRec = (now: number, over: Partial<RoomRecord> = {}): RoomRecord => ({ id: id('r'), accessKeyHash: 'h', capacity: 3, createdAt: now, expiresAt: now + 30_000, public: false, invites: false, ...over });

/** Every key under `prefix` with its PTTL: SCAN on the one server, or on every master of the cluster. */
async function keyTtls(target: RedisTarget, prefix: string): Promise<Map<string, number>> {
  if (target.clusterNodes) return clusterKeyTtls(cluster!, prefix);
  const r = new Redis(target.url!);
  const out = new Map<string, number>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const k of keys) out.set(k, await r.pttl(k));
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return out;
}

function suite(name: string, target: () => RedisTarget, basePrefix: () => string) {
  const connect = (sub: string, log = createLogger('silent')) => RedisStore.connect(target(), `${basePrefix()}${sub}:`, log);

  describe(`Redis store on ${name}`, () => {
    storeConformance(`redis (${name})`, () => connect(`c${++n}`));

    it('writes every key with a TTL of at most 24 h, indexes included', async () => {
      const prefix = `${basePrefix()}ttl:`;
      const s = await RedisStore.connect(target(), prefix);
      const now = Date.now();
      const g = ghostRec(now);
      await s.createGhost(g, now, 30_000);
      const r = roomRec(now, { public: true, backlog: 5 });
      await s.createRoom(r, now, 10_000);
      await s.joinRoom(r.id, 'm', g.id, now);
      await s.sendFrame(r.id, { head: '{"seq":', tail: '}', backlogMax: 5, backlogExpiresAt: now + 20_000 }, now);
      // An MLS commit moves the room's epoch: one more room key, living no longer than the room key.
      expect((await s.commit(r.id, 0, { head: '{"seq":', tail: '}', backlogMax: 5, backlogExpiresAt: now + 20_000 }, now)).ok).toBe(true);
      await s.takeToken(`x`, { capacity: 2, refillPerSecond: 1 }, now, g.id);
      await s.takeToken(`y`, { capacity: 2, refillPerSecond: 1 }, now);
      await s.claimOnce('jti:x', 5000);
      // A ghost leaving a room with invites keeps a rejoin grace: one more room key, with its own TTL.
      const inv = roomRec(now, { invites: true });
      await s.createRoom(inv, now, 10_000);
      await s.joinRoom(inv.id, 'w', g.id, now);
      await s.leaveRoom(inv.id, 'w', g.id, now, 10_000, 15_000);
      await s.count('room', now);
      await s.recentCount('msg', now, 1);
      await s.epoch();
      await s.ping();
      await s.stats(now);
      const ttls = await keyTtls(target(), prefix);
      // ghost, its index, its bucket, room, members, seq, heat, backlog, epoch, free bucket, claim, counters (msg, room),
      // indexes (ghosts, rooms, public, instances), heartbeat, the instance's rooms, epoch, probe.
      expect([...ttls.keys()].length).toBeGreaterThanOrEqual(20);
      for (const [k, t] of ttls) {
        expect(t, k).toBeGreaterThan(0);
        expect(t, k).toBeLessThanOrEqual(DAY);
      }
      // The room index lives as long as its longest room (30 s here), not a fixed 25 h reset by every write.
      expect(ttls.get(s.keys.index('rooms'))).toBeLessThanOrEqual(30_000);
      expect(ttls.get(s.keys.index('ghosts'))).toBeLessThanOrEqual(30_000);
      expect(ttls.get(s.keys.room(inv.id).recent)).toBeLessThanOrEqual(15_000);
      expect(ttls.get(s.keys.room(r.id).epoch)).toBeGreaterThan(0);
      // The moments each key expires, not TTLs read one after the other: the room key's PTTL, read a
      // millisecond after the epoch key's, once came out 1 ms shorter on a loaded CI machine.
      const expiresAt = (key: string) => s.redis.call('PEXPIRETIME', key) as Promise<number>;
      const epochAt = await expiresAt(s.keys.room(r.id).epoch);
      expect(epochAt).toBeGreaterThan(0); // -2 (no key) or -1 (no TTL) would pass the comparison below
      expect(epochAt).toBeLessThanOrEqual(await expiresAt(s.keys.room(r.id).room));
      await s.close();
    });

    it('lets expired ids leave the indexes without anyone calling stats', async () => {
      const s = await connect('sweep');
      const now = Date.now();
      const short = roomRec(now, { expiresAt: now + 500 });
      const long = roomRec(now);
      await s.createRoom(short, now, 60_000);
      await s.createRoom(long, now, 60_000);
      expect(await s.redis.zscore(s.keys.index('rooms'), short.id)).not.toBeNull();
      await sleep(6500);
      expect(await s.redis.zscore(s.keys.index('rooms'), short.id)).toBeNull();
      expect(await s.redis.zscore(s.keys.index('rooms'), long.id)).not.toBeNull();
      await s.close();
    }, 20_000);

    it('treats a record it cannot read as absent, with a log line, not a crash', async () => {
      const lines: string[] = [];
      const s = await connect('bad', createLogger('warn', (l) => lines.push(l)));
      const now = Date.now();
      const r = roomRec(now);
      const g = ghostRec(now);
      await s.redis.set(s.keys.room(r.id).room, JSON.stringify({ ...r, capacity: 'lots' }), 'PX', 10_000);
      await s.redis.set(s.keys.ghost(g.id).ghost, '{"id":', 'PX', 10_000);
      expect(await s.getRoom(r.id)).toBeNull();
      expect((await s.joinRoom(r.id, 'm', g.id, now)).result).toBe('gone');
      expect(await s.touchGhost(g.id, now, 1000)).toBeNull();
      expect(lines.filter((l) => l.includes('store record unreadable')).length).toBeGreaterThanOrEqual(2);
      expect(lines.join('\n')).not.toContain(r.id);
      await s.close();
    });

    /** Two instances with their buses on one prefix, a room created on `a`, and what `b`'s bus hears of it. */
    async function twoInstances(name: string, over: Partial<RoomRecord> = {}) {
      const prefix = `${basePrefix()}${name}${++n}:`;
      const a = await RedisStore.connect(target(), prefix);
      const b = await RedisStore.connect(target(), prefix);
      const log = createLogger('silent');
      const [busA, busB] = await Promise.all([RedisBus.connect(a, target(), log), RedisBus.connect(b, target(), log)]);
      const heard: { roomId: string; frame: string; except: string | undefined }[] = [];
      busB.onRoom((roomId, frame, except) => heard.push({ roomId, frame: frame.toString(), except }));
      const now = Date.now();
      const r = roomRec(now, over);
      await a.createRoom(r, now, 10_000);
      await busB.subscribeRoom(r.id);
      const close = () => Promise.all([busA.close(), busB.close(), a.close(), b.close()]);
      return { a, b, busA, heard, now, r, close };
    }

    it('numbers, keeps and publishes a frame in one script, heard by another instance', async () => {
      const { a, b, busA, heard, now, r, close } = await twoInstances('bus', { backlog: 10 });
      const sent = await a.sendFrame(r.id, { head: '{"seq":', tail: ',"x":1}', backlogMax: 10, backlogExpiresAt: now + 10_000, busHeader: busA.frameHeader(r.id, 'me') }, now);
      expect(sent.seq).toBe(1);
      await sleep(300);
      expect(heard).toEqual([{ roomId: r.id, frame: '{"seq":1,"x":1}', except: 'me' }]);
      expect(await b.readBacklog(r.id, 0)).toEqual([{ seq: 1, expiresAt: now + 10_000, frame: '{"seq":1,"x":1}' }]);
      await close();
    });

    it('numbers a room\'s frames of one turn in one script call and publishes each, in order', async () => {
      const { a, busA, heard, now, r, close } = await twoInstances('batch');
      // On the one server, MONITOR shows every command, those a script calls included: keep those that touch the room's seq key.
      const seqKey = a.keys.room(r.id).seq;
      const touching: string[] = [];
      const monitor = target().url ? await new Redis(target().url!).monitor() : undefined;
      monitor?.on('monitor', (_time: string, args: string[]) => {
        if (args.includes(seqKey)) touching.push(args[0]!.toLowerCase() === 'incrby' ? ['incrby', ...args.slice(1)].join(' ') : args[0]!.toLowerCase());
      });
      const frame = (i: number) => ({ head: '{"seq":', tail: `,"x":${i}}`, backlogMax: 0, backlogExpiresAt: 0, busHeader: busA.frameHeader(r.id, `m${i}`) });
      const sent = await Promise.all([1, 2, 3, 4, 5].map((i) => a.sendFrame(r.id, frame(i), now)));
      expect(sent).toEqual([1, 2, 3, 4, 5].map((seq) => ({ seq, members: 0 })));
      await sleep(300);
      expect(heard).toEqual([1, 2, 3, 4, 5].map((i) => ({ roomId: r.id, frame: `{"seq":${i},"x":${i}}`, except: `m${i}` })));
      if (monitor) {
        expect(touching.filter((c) => c.startsWith('eval'))).toHaveLength(1);
        expect(touching.filter((c) => c.startsWith('incrby'))).toEqual([`incrby ${seqKey} 5`]);
        monitor.disconnect();
      }
      await close();
    });

    it('removes a crashed instance\'s members within the heartbeat TTL, and never refuses a join because of them', async () => {
      const prefix = `${basePrefix()}crash${++n}:`;
      const crashed = await RedisStore.connect(target(), prefix);
      const alive = await RedisStore.connect(target(), prefix);
      const lost: [string, string[]][] = [];
      alive.onMembersLost((roomId, ids) => lost.push([roomId, ids]));
      const now = Date.now();
      const g = ghostRec(now);
      await alive.createGhost(g, now, 30_000);
      const r = roomRec(now, { capacity: 2 });
      await alive.createRoom(r, now, 10_000);
      expect((await crashed.joinRoom(r.id, 'lost-1', g.id, now)).result).toBe('ok');
      expect((await crashed.joinRoom(r.id, 'lost-2', g.id, now)).result).toBe('ok');
      // A crash: the process vanishes without cleaning up (no close()), so its heartbeat stops being renewed.
      crashed.redis.disconnect();
      const t0 = Date.now();
      const joined = await alive.joinRoom(r.id, 'new', g.id, Date.now());
      expect(joined).toMatchObject({ result: 'ok', members: [] });
      expect(Date.now() - t0).toBeLessThan(HEARTBEAT_TTL_MS + 1500);
      expect(await alive.memberCount(r.id)).toBe(1);
      await sleep(1500);
      expect(lost).toEqual([[r.id, expect.arrayContaining(['lost-1', 'lost-2'])]]);
      // A live instance's members are never removed.
      expect((await alive.joinRoom(r.id, 'second', g.id, Date.now())).result).toBe('ok');
      expect((await alive.joinRoom(r.id, 'third', g.id, Date.now())).result).toBe('full');
      await alive.close();
    }, 20_000);

    it('announces a crashed instance\'s members as gone without any join (the reaper)', async () => {
      const prefix = `${basePrefix()}reap${++n}:`;
      const crashed = await RedisStore.connect(target(), prefix);
      const alive = await RedisStore.connect(target(), prefix);
      const lost: string[] = [];
      alive.onMembersLost((_roomId, ids) => lost.push(...ids));
      const now = Date.now();
      const g = ghostRec(now);
      await alive.createGhost(g, now, 30_000);
      const r = roomRec(now, { capacity: 5 });
      await alive.createRoom(r, now, 10_000);
      await alive.joinRoom(r.id, 'stays', g.id, now);
      await crashed.joinRoom(r.id, 'goes', g.id, now);
      crashed.redis.disconnect();
      const t0 = Date.now();
      while (lost.length === 0 && Date.now() - t0 < HEARTBEAT_TTL_MS + 3000) await sleep(100);
      expect(lost).toEqual(['goes']);
      expect(Date.now() - t0).toBeLessThan(HEARTBEAT_TTL_MS + 2500);
      expect(await alive.memberCount(r.id)).toBe(1);
      await alive.close();
    }, 20_000);
  });
}

describe.skipIf(!single)('single Redis', () => {
  suite('one Redis', () => ({ url: single!.url }), () => single!.prefix);

  describe('relay on Redis', () => {
    let relay: RelayProcess;
    beforeAll(async () => {
      relay = await startRelayProcess({ REDIS_URL: single!.url, REDIS_PREFIX: single!.prefix });
    });
    afterAll(async () => {
      await relay?.stop();
    });

    it('reports the Redis store and relays a chat', async () => {
      expect(await (await fetch(`${relay.url}/health`)).json()).toMatchObject({ status: 'ok', store: 'redis' });
      const keys = await createRoom(relay.url);
      const a = await joinedSocket(relay.url, keys);
      const b = await joinedSocket(relay.url, keys);
      a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8('hi'))) });
      await b.next('frame');
      expect(await a.next('sent')).toMatchObject({ delivered: 1 });
      a.close();
      b.close();
    });
  });
});

describe.skipIf(!cluster)('Redis Cluster', () => {
  suite('a Redis Cluster', () => ({ clusterNodes: cluster!.nodes.split(',').map((x) => ({ host: '127.0.0.1', port: Number(x.split(':')[1]) })) }), () => cluster!.prefix);
});
