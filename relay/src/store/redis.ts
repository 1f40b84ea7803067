import { randomBytes } from 'node:crypto';
import { Redis, ReplyError } from 'ioredis';
import type { Logger } from '../log.js';
import * as lua from './redis-scripts.js';
import {
  COUNTER_BUCKETS,
  COUNTER_BUCKET_MS,
  HEAT_TAU_MS,
  heatLevel,
  type BacklogEntry,
  type BucketSpec,
  type Counter,
  type FootprintKind,
  type FootprintRecord,
  type GhostRecord,
  type GhostSession,
  type JoinOutcome,
  type JoinResult,
  type PublicRoom,
  type RoomRecord,
  type SeqResult,
  type Store,
  type StoreStats,
  type TakeResult,
} from './store.js';
import { storeUnavailable } from './unavailable.js';

/** Shared sorted sets (live ghosts, rooms) outlive their newest member by at most this. */
const ZSET_TTL_MS = 25 * 60 * 60 * 1000;
const COUNTER_TTL_MS = (COUNTER_BUCKETS + 1) * COUNTER_BUCKET_MS;
/**
 * Each process keeps `inst:<id>` alive while it runs; members it held are
 * dropped by the next join once the key lapses (a crashed instance).
 */
const HEARTBEAT_MS = 5000;
const HEARTBEAT_TTL_MS = 3 * HEARTBEAT_MS;
/** Bounds on the work one stats or lobby call may do. */
const SWEEP_LIMIT = 1000;
const LOBBY_SCAN = 200;

type Script = (keys: string[], args: (string | number)[]) => Promise<unknown>;
type Scripts = Record<keyof typeof lua, Script>;

/**
 * Adds a frame to a room's backlog, a sorted set scored by seq, trims it to
 * the ARGV[2] highest seqs and gives it its expiry in one script, so the key
 * never exists without a TTL. Scored by seq rather than appended in arrival
 * order because instances number frames from one counter but append on their
 * own connections: seq 8 from one instance can land before seq 7 from another.
 * The expiry only ever moves later (an out-of-order straggler does not
 * shorten it). Members are `<seq>|<expiresAt>|<frame>`.
 * ARGV: member, max, expiresAt (epoch ms), seq, now (epoch ms).
 */
const BACKLOG_APPEND_LUA = `
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[2]) - 1)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or tonumber(ARGV[3]) - tonumber(ARGV[5]) > ttl then
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
return 1
`;

/**
 * The Redis store. Every key is written with its TTL in the same command or
 * script (redis-scripts.ts). The offline queue is off and commands time out,
 * so an outage fails closed: every method then throws the 503 RelayError
 * (callers answer HTTP 503, or close /ws with 4503), and ioredis reconnects
 * on its own when Redis returns. Key names: `<prefix><kind>:<id>`.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private runId: string | undefined;
  private readonly scripts: Scripts;
  /** This process among the relay instances sharing the Redis. */
  readonly instanceId = randomBytes(8).toString('base64url');
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {
    const scripts: Partial<Record<string, Script>> = {};
    for (const [name, source] of Object.entries(lua)) {
      redis.defineCommand(`gw_${name}`, { lua: source });
      scripts[name] = (keys: string[], args: (string | number)[]) =>
        (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[`gw_${name}`]!(keys.length, ...keys, ...args);
    }
    this.scripts = scripts as Scripts;
    // A reconnect may be to a restarted (empty) Redis: read its run id again, and say we are alive at once.
    redis.on('ready', () => {
      this.runId = undefined;
      this.beat();
    });
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.beat();
  }

  private beat(): void {
    this.redis.set(this.k('inst', this.instanceId), '1', 'PX', HEARTBEAT_TTL_MS).catch(() => undefined);
  }

  /** Connects with the settings that make an outage fail fast (no offline queue, a command timeout). */
  static async connect(url: string, prefix: string, log?: Logger): Promise<RedisStore> {
    const redis = createRedis(url, log);
    await redis.connect();
    return new RedisStore(redis, prefix);
  }

  /** A full key name. */
  k(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  private counterKey(counter: string, minute: number): string {
    return this.k('cnt', `${counter}:${minute}`);
  }

  /** Runs a store operation; a connection problem (not a script bug) becomes the 503 RelayError. */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      // A reply error is a bug in a script or a call, except the ones that mean "Redis cannot serve now".
      if (err instanceof ReplyError && !/^(OOM|LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b/.test((err as Error).message)) throw err;
      throw storeUnavailable();
    }
  }

  /** Redis's run id changes on every restart: a restarted (empty) Redis invalidates outstanding tokens. */
  epoch(): Promise<string> {
    return this.guard(async () => {
      if (this.runId) return this.runId;
      const info = await this.redis.info('server');
      const id = /run_id:(\w+)/.exec(info)?.[1];
      if (!id) throw new Error('redis did not report a run_id');
      this.runId = id;
      return id;
    });
  }

  ping(): Promise<void> {
    return this.guard(async () => {
      await this.redis.ping();
    });
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.del(this.k('inst', this.instanceId)).catch(() => undefined);
    this.redis.disconnect();
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.guard(async () => (await this.redis.set(this.k('claim', key), '1', 'PX', ttlMs, 'NX')) === 'OK');
  }

  // Ghosts

  private ghostKeys(id: string): { ghost: string; gkeys: string; z: string } {
    return { ghost: this.k('ghost', id), gkeys: this.k('gkeys', id), z: this.k('z', 'ghosts') };
  }

  createGhost(g: GhostRecord, now: number, sessionTtlMs: number): Promise<GhostSession | null> {
    return this.guard(async () => {
      const expiresAt = Math.min(now + sessionTtlMs, g.hardExpiresAt);
      const k = this.ghostKeys(g.id);
      const ok = await this.scripts.CREATE_GHOST([k.ghost, k.z], [JSON.stringify(g), expiresAt, `${g.createdAt}:${g.id}`, ZSET_TTL_MS]);
      return ok === 1 ? { ...g, expiresAt } : null;
    });
  }

  touchGhost(id: string, now: number, sessionTtlMs: number, tokenHash?: string): Promise<GhostSession | null> {
    return this.guard(async () => {
      const k = this.ghostKeys(id);
      const r = (await this.scripts.TOUCH_GHOST([k.ghost, k.gkeys, k.z], [now, sessionTtlMs, tokenHash ?? ''])) as [string, number | string] | null;
      return r ? { ...(JSON.parse(r[0]) as GhostRecord), expiresAt: Number(r[1]) } : null;
    });
  }

  destroyGhost(id: string, now: number, graceMs: number): Promise<boolean> {
    return this.guard(async () => {
      const k = this.ghostKeys(id);
      const minute = Math.floor(now / COUNTER_BUCKET_MS);
      const entries = (await this.scripts.DESTROY_GHOST(
        [k.ghost, k.gkeys, k.z, this.counterKey('ended', minute), this.counterKey('endedms', minute)],
        [now, COUNTER_TTL_MS],
      )) as string[] | null;
      if (!entries) return false;
      // Undo what the index lists: O(its keys), no SCAN. Memberships leave as a socket would.
      await Promise.all(
        entries.map((e) => {
          const entry = parseEntry(e);
          if (entry.kind === 'key') return this.redis.del(this.prefix + entry.key);
          return this.leave(entry.roomId, entry.memberId, k.gkeys, now, graceMs);
        }),
      );
      return true;
    });
  }

  ghostFootprint(id: string): Promise<FootprintRecord[]> {
    return this.guard(async () => {
      const k = this.ghostKeys(id);
      const [ghostTtl, indexTtl, entries] = await Promise.all([this.redis.pttl(k.ghost), this.redis.pttl(k.gkeys), this.redis.smembers(k.gkeys)]);
      if (ghostTtl <= 0) return [];
      const now = Date.now();
      const out: FootprintRecord[] = [{ kind: 'ghost', count: 1, expiresAt: now + ghostTtl }];
      if (indexTtl > 0) out.push({ kind: 'key-index', count: 1, expiresAt: now + indexTtl });
      const ttls = await Promise.all(
        entries.map(async (e): Promise<[FootprintKind, number]> => {
          const entry = parseEntry(e);
          return entry.kind === 'key'
            ? ['rate-limit', await this.redis.pttl(this.prefix + entry.key)]
            : ['membership', (await this.redis.hexists(this.k('members', entry.roomId), entry.memberId)) ? await this.redis.pttl(this.k('members', entry.roomId)) : -2];
        }),
      );
      for (const kind of ['rate-limit', 'membership'] as const) {
        const live = ttls.filter(([k2, t]) => k2 === kind && t > 0).map(([, t]) => t);
        if (live.length) out.push({ kind, count: live.length, expiresAt: now + Math.max(...live) });
      }
      return out;
    });
  }

  // Rooms

  private roomKeys(id: string) {
    return {
      room: this.k('room', id),
      members: this.k('members', id),
      seq: this.k('seq', id),
      heat: this.k('heat', id),
      zrooms: this.k('z', 'rooms'),
      zpublic: this.k('z', 'public'),
    };
  }

  createRoom(room: RoomRecord, now: number, graceMs: number): Promise<boolean> {
    return this.guard(async () => {
      const k = this.roomKeys(room.id);
      const keyExpiresAt = Math.min(room.expiresAt, now + graceMs);
      const ok = await this.scripts.CREATE_ROOM([k.room, k.zrooms, k.zpublic], [JSON.stringify(room), keyExpiresAt, room.id, room.public ? '1' : '0', ZSET_TTL_MS]);
      return ok === 1;
    });
  }

  getRoom(id: string): Promise<RoomRecord | null> {
    return this.guard(async () => {
      const raw = await this.redis.get(this.k('room', id));
      return raw ? (JSON.parse(raw) as RoomRecord) : null;
    });
  }

  // --- optional encrypted backlog (issue 4) ---
  appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void> {
    return this.guard(async () => {
      const item = `${entry.seq}|${entry.expiresAt}|${entry.frame}`;
      await this.redis.eval(BACKLOG_APPEND_LUA, 1, this.k('backlog', roomId), item, max, entry.expiresAt, entry.seq, Date.now());
    });
  }

  readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
    return this.guard(async () => {
      const items = await this.redis.zrangebyscore(this.k('backlog', roomId), `(${afterSeq}`, '+inf');
      const now = Date.now();
      const out: BacklogEntry[] = [];
      for (const item of items) {
        const a = item.indexOf('|');
        const b = item.indexOf('|', a + 1);
        const seq = Number(item.slice(0, a));
        const expiresAt = Number(item.slice(a + 1, b));
        if (a > 0 && b > a && seq > afterSeq && expiresAt > now) out.push({ seq, expiresAt, frame: item.slice(b + 1) });
      }
      return out;
    });
  }
  // --- end backlog ---

  deleteRoom(id: string): Promise<void> {
    return this.guard(async () => {
      const k = this.roomKeys(id);
      await this.redis.multi().del(k.room, k.members, k.seq, k.heat, this.k('backlog', id)).zrem(k.zrooms, id).zrem(k.zpublic, id).exec();
    });
  }

  joinRoom(roomId: string, memberId: string, ghostId: string, _now: number): Promise<JoinOutcome> {
    return this.guard(async () => {
      const k = this.roomKeys(roomId);
      const g = this.ghostKeys(ghostId);
      const r = (await this.scripts.JOIN_ROOM(
        [k.room, k.members, g.ghost, g.gkeys, k.seq, k.heat, k.zrooms, k.zpublic],
        [memberId, `${ghostId} ${this.instanceId}`, roomId, memberEntry(roomId, memberId), this.k('inst', '')],
      )) as [JoinResult, string?, (number | string)?, ...string[]];
      const [result, raw, seq, ...members] = r;
      return { result, room: raw ? (JSON.parse(raw) as RoomRecord) : null, members, seq: Number(seq ?? 0) };
    });
  }

  private async leave(roomId: string, memberId: string, gkeys: string, now: number, graceMs: number): Promise<number> {
    const k = this.roomKeys(roomId);
    return (await this.scripts.LEAVE_ROOM(
      [k.room, k.members, gkeys, k.seq, k.heat, k.zrooms, k.zpublic],
      [memberId, memberEntry(roomId, memberId), now, graceMs, roomId],
    )) as number;
  }

  leaveRoom(roomId: string, memberId: string, ghostId: string, now: number, graceMs: number): Promise<number> {
    return this.guard(() => this.leave(roomId, memberId, this.ghostKeys(ghostId).gkeys, now, graceMs));
  }

  memberCount(roomId: string): Promise<number> {
    return this.guard(() => this.redis.hlen(this.k('members', roomId)));
  }

  isMember(roomId: string, ghostId: string): Promise<boolean> {
    return this.guard(async () => (await this.redis.hvals(this.k('members', roomId))).some((v) => v.split(' ')[0] === ghostId));
  }

  nextSeq(roomId: string, now: number): Promise<SeqResult> {
    return this.guard(async () => {
      const k = this.roomKeys(roomId);
      const counter = this.counterKey('msg', Math.floor(now / COUNTER_BUCKET_MS));
      const [seq, members] = (await this.scripts.NEXT_SEQ([k.room, k.members, k.seq, k.heat, counter], [now, HEAT_TAU_MS, COUNTER_TTL_MS])) as [number, number];
      return { seq, members };
    });
  }

  listPublicRooms(now: number, limit: number): Promise<PublicRoom[]> {
    return this.guard(async () => {
      const z = this.k('z', 'public');
      await this.redis.zremrangebyscore(z, '-inf', now);
      const ids = await this.redis.zrange(z, 0, LOBBY_SCAN - 1);
      const rows = await Promise.all(
        ids.map(async (id) => {
          const k = this.roomKeys(id);
          const [raw, participants, heat] = await Promise.all([this.redis.get(k.room), this.redis.hlen(k.members), this.redis.hmget(k.heat, 'h', 't')]);
          if (!raw) return null;
          const h = Number(heat[0] ?? 0) * Math.exp(-(now - Number(heat[1] ?? now)) / HEAT_TAU_MS);
          return { room: JSON.parse(raw) as RoomRecord, participants, heat: heatLevel(h) };
        }),
      );
      return rows
        .filter((r): r is PublicRoom => r !== null)
        .sort((a, b) => b.heat - a.heat || b.participants - a.participants)
        .slice(0, limit);
    });
  }

  // Limits and counters

  takeToken(key: string, spec: BucketSpec, now: number, ghostId?: string, cost = 1): Promise<TakeResult> {
    return this.guard(async () => {
      const g = this.ghostKeys(ghostId ?? '-');
      const [ok, retry] = (await this.scripts.TAKE_TOKEN(
        [this.k('rl', key), g.ghost, g.gkeys],
        [spec.capacity, spec.refillPerSecond, now, cost, ghostId ? `k:rl:${key}` : ''],
      )) as [number, number];
      return { ok: ok === 1, retryAfterMs: retry };
    });
  }

  count(counter: Counter, now: number): Promise<void> {
    return this.guard(async () => {
      const k = this.counterKey(counter, Math.floor(now / COUNTER_BUCKET_MS));
      await this.redis.multi().incr(k).pexpire(k, COUNTER_TTL_MS).exec();
    });
  }

  private async sum(counter: string, now: number, minutes: number): Promise<number> {
    const cur = Math.floor(now / COUNTER_BUCKET_MS);
    const keys = Array.from({ length: minutes + 1 }, (_, i) => this.counterKey(counter, cur - i));
    return (await this.redis.mget(...keys)).reduce((n, v) => n + Number(v ?? 0), 0);
  }

  recentCount(counter: Counter, now: number, minutes: number): Promise<number> {
    return this.guard(() => this.sum(counter, now, minutes));
  }

  stats(now: number): Promise<StoreStats> {
    return this.guard(async () => {
      const minute = Math.floor(now / COUNTER_BUCKET_MS);
      const z = (n: string) => this.k('z', n);
      await this.scripts.SWEEP_GHOSTS([z('ghosts'), this.counterKey('ended', minute), this.counterKey('endedms', minute)], [now, COUNTER_TTL_MS, SWEEP_LIMIT]);
      await this.redis.multi().zremrangebyscore(z('rooms'), '-inf', now).zremrangebyscore(z('public'), '-inf', now).exec();
      const [activeGhosts, activeRooms, publicRooms, endedSessions, endedSessionMs] = await Promise.all([
        this.redis.zcard(z('ghosts')),
        this.redis.zcard(z('rooms')),
        this.redis.zcard(z('public')),
        this.sum('ended', now, COUNTER_BUCKETS - 1),
        this.sum('endedms', now, COUNTER_BUCKETS - 1),
      ]);
      return { activeGhosts, activeRooms, publicRooms, endedSessions, endedSessionMs };
    });
  }
}

/** The ioredis client every Redis user of the relay shares the settings of. */
export function createRedis(url: string, log?: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: 2000,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', (err: Error) => log?.warn('redis error', { err: err.name }));
  return redis;
}

/** Entries of a ghost's key index: `k:<key>` (a key it owns) or `m:<roomId>:<memberId>` (a membership). */
type IndexEntry = { kind: 'key'; key: string } | { kind: 'member'; roomId: string; memberId: string };

const memberEntry = (roomId: string, memberId: string) => `m:${roomId}:${memberId}`;

function parseEntry(e: string): IndexEntry {
  if (e.startsWith('m:')) {
    const [, roomId = '', memberId = ''] = e.split(':');
    return { kind: 'member', roomId, memberId };
  }
  return { kind: 'key', key: e.slice(2) };
}
