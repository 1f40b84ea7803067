import { randomBytes } from 'node:crypto';
import { ReplyError } from 'ioredis';
import { ROOM_EMPTY_GRACE_SECONDS, ROOM_REJOIN_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import type { Logger } from '../log.js';
import { BatchedCounter, bumpCounter, sumCounter } from './redis-counters.js';
import { keyEntry, recentEntry, type RedisContext } from './redis-context.js';
import { scriptCommands, type RedisClient } from './redis-commands.js';
import { connectRedis, type RedisTarget } from './redis-connect.js';
import { FrameBatches } from './redis-frames.js';
import * as ghosts from './redis-ghosts.js';
import { InstanceWatch, type MembersLost } from './redis-instances.js';
import { KeyLayout } from './redis-keys.js';
import * as rooms from './redis-rooms.js';
import {
  COUNTER_BUCKETS,
  type BacklogEntry,
  type BucketSpec,
  type CommitResult,
  type Counter,
  type DirectStore,
  type FootprintRecord,
  type FramePlan,
  type GhostRecord,
  type GhostSession,
  type JoinOutcome,
  type PublicRoom,
  type RoomRecord,
  type SeqResult,
  type Store,
  type StoreStats,
  type TakeResult,
} from './store.js';
import { storeUnavailable } from './unavailable.js';

/** Bounds on the work one sweep may do. */
const SWEEP_LIMIT = 1000;
/** Expired ids leave the indexes this often, whether or not anyone asks for stats. */
const SWEEP_EVERY_MS = 5000;
/** The epoch key lives a day; instances re-read it this often, so they agree after it rolls over. */
const EPOCH_TTL_MS = 24 * 60 * 60 * 1000;
const EPOCH_CACHE_MS = 5000;
/** The readiness probe's key: written with a TTL like everything else. */
const PROBE_TTL_MS = 10_000;

/** Replies that mean "Redis cannot serve now" rather than a bug in a script or call. */
const UNAVAILABLE_REPLY = /^(OOM|LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|MOVED|ASK)\b/;

/**
 * The Redis store, on one Redis or a Cluster. Every key carries a hash tag
 * (redis-keys.ts) so each script touches one slot; every key is written with
 * its TTL in the same command or script (redis-scripts.ts, redis-room-scripts.ts). The offline
 * queue is off and commands time out, so an outage fails closed: every
 * method then throws the 503 RelayError (callers answer HTTP 503, or close
 * /ws with 4503), and ioredis reconnects on its own when Redis returns.
 * The parts live beside this file by concern: ghosts, rooms, counters, instances.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly c: RedisContext;
  private readonly watch: InstanceWatch;
  private readonly msgs: BatchedCounter;
  private readonly sweeper: NodeJS.Timeout;
  private epochCache: { id: string; at: number } | undefined;

  private constructor(
    readonly redis: RedisClient,
    readonly keys: KeyLayout,
    readonly cluster: boolean,
    log: Logger | undefined,
    clock: () => number,
  ) {
    const cmd = scriptCommands(redis);
    this.c = { redis, keys, cmd, frames: new FrameBatches(redis, cmd, keys, cluster), log, instanceId: randomBytes(8).toString('base64url'), cluster, clock };
    this.watch = new InstanceWatch(this.c, ROOM_EMPTY_GRACE_SECONDS * 1000);
    this.msgs = new BatchedCounter(this.c, 'msg');
    this.sweeper = setInterval(() => void this.sweep(clock()).catch(() => undefined), SWEEP_EVERY_MS);
    this.sweeper.unref();
    // A reconnect may be to a restarted (empty) Redis: read the epoch again.
    redis.on('ready', () => (this.epochCache = undefined));
  }

  /** Connects with the settings that make an outage fail fast (no offline queue, a command timeout). */
  static async connect(target: RedisTarget | string, prefix: string, log?: Logger, clock: () => number = Date.now): Promise<RedisStore> {
    const t: RedisTarget = typeof target === 'string' ? { url: target } : target;
    const redis = await connectRedis(t, log);
    return new RedisStore(redis, new KeyLayout(prefix), !!t.clusterNodes, log, clock);
  }

  /** This process among the relay instances sharing the Redis. */
  get instanceId(): string {
    return this.c.instanceId;
  }

  get prefix(): string {
    return this.keys.prefix;
  }

  /** Runs a store operation; a connection problem (not a script bug) becomes the 503 RelayError. */
  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof ReplyError && !UNAVAILABLE_REPLY.test((err as Error).message)) throw err;
      if ((err as Error).name === 'ScriptReplyError') throw err;
      this.c.log?.debug('store unavailable', { err: (err as Error).name });
      throw storeUnavailable();
    }
  }

  /** A random id kept in Redis: it is gone, and tokens bound to it with it, when the data is (a restart, a flush). */
  epoch(): Promise<string> {
    return this.guard(async () => {
      const now = Date.now();
      if (this.epochCache && now - this.epochCache.at < EPOCH_CACHE_MS) return this.epochCache.id;
      const id = await this.c.cmd.epoch(this.keys.epoch, randomBytes(12).toString('base64url'), EPOCH_TTL_MS);
      this.epochCache = { id, at: now };
      return id;
    });
  }

  /** Succeeds only if Redis accepts a write (a probe key with a TTL): a Redis at maxmemory with noeviction is not ready. */
  ping(): Promise<void> {
    return this.guard(async () => void (await this.redis.set(this.keys.instance(this.instanceId).probe, '1', 'PX', PROBE_TTL_MS)));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.msgs.close();
    await this.watch.close();
    this.redis.disconnect();
  }

  readonly direct: DirectStore = {
    join: (roomId, peer, now, ttlMs) => this.guard(() => this.c.cmd.signalJoin(this.keys.directRoom(roomId), peer.id, peer.instance, now, ttlMs)),
    leave: (roomId, peerId) => this.guard(() => this.c.cmd.signalLeave(this.keys.directRoom(roomId), peerId)),
    pair: (roomId, a, b, expiresAt) => this.guard(() => this.c.cmd.signalPair(this.keys.directRoom(roomId), a.id, a.instance, b.id, b.instance, expiresAt)),
    stranger: (peer, expiresAt, now, maxWaiting) =>
      this.guard(async () => {
        const r = await this.c.cmd.signalStranger(this.keys.strangerQueue, `${peer.id} ${peer.instance} ${expiresAt}`, now, maxWaiting);
        if (r.result !== 'paired') return { result: r.result };
        const [id = '', instance = ''] = r.mate.split(' ');
        return { result: 'paired', mate: { id, instance } };
      }),
    unqueue: (peer, expiresAt) => this.guard(async () => void (await this.redis.lrem(this.keys.strangerQueue, 1, `${peer.id} ${peer.instance} ${expiresAt}`))),
  };

  onMembersLost(handler: MembersLost): void {
    this.watch.onMembersLost(handler);
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.guard(async () => (await this.redis.set(this.keys.claim(key), '1', 'PX', ttlMs, 'NX')) === 'OK');
  }

  createGhost(g: GhostRecord, now: number, sessionTtlMs: number): Promise<GhostSession | null> {
    return this.guard(() => ghosts.createGhost(this.c, g, now, sessionTtlMs));
  }

  touchGhost(id: string, now: number, sessionTtlMs: number, tokenHash?: string): Promise<GhostSession | null> {
    return this.guard(() => ghosts.touchGhost(this.c, id, now, sessionTtlMs, tokenHash));
  }

  destroyGhost(id: string, now: number, graceMs: number): Promise<boolean> {
    return this.guard(() => ghosts.destroyGhost(this.c, id, now, graceMs));
  }

  ghostFootprint(id: string): Promise<FootprintRecord[]> {
    return this.guard(() => ghosts.ghostFootprint(this.c, id));
  }

  createRoom(room: RoomRecord, now: number, graceMs: number): Promise<boolean> {
    return this.guard(() => rooms.createRoom(this.c, room, now, graceMs));
  }

  getRoom(id: string): Promise<RoomRecord | null> {
    return this.guard(() => rooms.getRoom(this.c, id));
  }

  deleteRoom(id: string): Promise<void> {
    return this.guard(() => rooms.deleteRoom(this.c, id));
  }

  appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void> {
    return this.guard(() => rooms.appendBacklog(this.c, roomId, entry, max));
  }

  readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
    return this.guard(() => rooms.readBacklog(this.c, roomId, afterSeq));
  }

  /** A full room whose members include a dead instance's is settled (those members removed) and tried once more. */
  joinRoom(roomId: string, memberId: string, ghostId: string, now: number): Promise<JoinOutcome> {
    return this.guard(async () => {
      const first = await rooms.joinRoom(this.c, roomId, memberId, ghostId, now);
      const settled = first.result === 'full' && (await this.watch.settle(first.instances));
      const { instances: _, ...out } = settled ? await rooms.joinRoom(this.c, roomId, memberId, ghostId, this.c.clock()) : first;
      return out;
    });
  }

  leaveRoom(roomId: string, memberId: string, ghostId: string, now: number, graceMs: number, rejoinGraceMs = ROOM_REJOIN_GRACE_SECONDS * 1000): Promise<number> {
    return this.guard(async () => {
      const { left, marked } = await rooms.leaveRoom(this.c, roomId, memberId, now, graceMs, rejoinGraceMs);
      const g = this.keys.ghost(ghostId);
      await this.redis.srem(g.gkeys, `m:${roomId}:${memberId}`);
      // Listed so that destroying the ghost ends its rejoin grace too.
      if (marked) await this.c.cmd.ghostEntry(g.ghost, g.gkeys, recentEntry(roomId));
      return left;
    });
  }

  memberCount(roomId: string): Promise<number> {
    return this.guard(() => this.redis.hlen(this.keys.room(roomId).members));
  }

  isMember(roomId: string, ghostId: string): Promise<boolean> {
    return this.guard(() => rooms.isMember(this.c, roomId, ghostId));
  }

  mayRejoin(roomId: string, ghostId: string, now: number): Promise<boolean> {
    return this.guard(() => rooms.mayRejoin(this.c, roomId, ghostId, now));
  }

  grantRejoin(roomId: string, ghostId: string, now: number, ms = ROOM_REJOIN_GRACE_SECONDS * 1000): Promise<void> {
    return this.guard(async () => {
      const k = this.keys.room(roomId);
      const g = this.keys.ghost(ghostId);
      if (await this.c.cmd.grantRejoin(k.room, k.recent, ghostId, now, ms)) await this.c.cmd.ghostEntry(g.ghost, g.gkeys, recentEntry(roomId));
    });
  }

  nextSeq(roomId: string, now: number): Promise<SeqResult> {
    return this.sendFrame(roomId, { head: '', tail: '', backlogMax: 0, backlogExpiresAt: 0 }, now);
  }

  /** Numbers a frame, keeps it in the backlog and publishes it to the other instances: one round trip, shared by the room's frames of this turn (redis-frames.ts). */
  sendFrame(roomId: string, plan: FramePlan, now: number): Promise<SeqResult> {
    return this.guard(async () => {
      const r = await rooms.sendFrame(this.c, roomId, plan, now);
      if (r.seq > 0) this.msgs.add(now);
      return r;
    });
  }

  /** One commit per epoch across every instance: the check and the increment run in one script. */
  commit(roomId: string, epoch: number, plan: FramePlan, now: number): Promise<CommitResult> {
    return this.guard(async () => {
      const r = await rooms.commit(this.c, roomId, epoch, plan, now);
      if (r.ok) this.msgs.add(now);
      return r;
    });
  }

  listPublicRooms(now: number, limit: number): Promise<PublicRoom[]> {
    return this.guard(() => rooms.listPublicRooms(this.c, now, limit));
  }

  takeToken(key: string, spec: BucketSpec, now: number, ghostId?: string, cost = 1): Promise<TakeResult> {
    return this.guard(async () => {
      if (!ghostId) return this.c.cmd.takeToken([this.keys.bucket(key)], spec.capacity, spec.refillPerSecond, now, cost, '');
      const g = this.keys.ghost(ghostId);
      const bucket = g.bucket(key);
      return this.c.cmd.takeToken([bucket, g.ghost, g.gkeys], spec.capacity, spec.refillPerSecond, now, cost, keyEntry(bucket));
    });
  }

  count(counter: Counter, now: number): Promise<void> {
    return this.guard(() => bumpCounter(this.c, counter, now, 1));
  }

  recentCount(counter: Counter, now: number, minutes: number): Promise<number> {
    return this.guard(async () => {
      if (counter === 'msg') await this.msgs.flush();
      return sumCounter(this.c, counter, now, minutes);
    });
  }

  /** Expired ids leave the indexes; sessions that ran out are counted as ended. Runs every SWEEP_EVERY_MS on every instance. */
  private async sweep(now: number): Promise<void> {
    const { count, ms } = await this.c.cmd.sweepGhosts(this.keys.index('ghosts'), now, SWEEP_LIMIT);
    await Promise.all([
      bumpCounter(this.c, 'ended', now, count),
      bumpCounter(this.c, 'endedms', now, ms),
      this.redis.zremrangebyscore(this.keys.index('rooms'), '-inf', now),
      this.redis.zremrangebyscore(this.keys.index('public'), '-inf', now),
    ]);
  }

  stats(now: number): Promise<StoreStats> {
    return this.guard(async () => {
      await this.sweep(now);
      const [activeGhosts, activeRooms, publicRooms, endedSessions, endedSessionMs] = await Promise.all([
        this.redis.zcard(this.keys.index('ghosts')),
        this.redis.zcard(this.keys.index('rooms')),
        this.redis.zcard(this.keys.index('public')),
        sumCounter(this.c, 'ended', now, COUNTER_BUCKETS - 1),
        sumCounter(this.c, 'endedms', now, COUNTER_BUCKETS - 1),
      ]);
      return { activeGhosts, activeRooms, publicRooms, endedSessions, endedSessionMs };
    });
  }
}
