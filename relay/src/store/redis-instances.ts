import { ROOM_REJOIN_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import type { RedisContext } from './redis-context.js';
import { roomSlotKeys } from './redis-keys.js';
import { getRoom, reindex } from './redis-rooms.js';

/** Each relay instance renews `{i:<id>}alive` this often... */
export const HEARTBEAT_MS = 1000;
/** ...with this TTL: an instance silent this long is dead, and its members are removed. */
export const HEARTBEAT_TTL_MS = 3000;
/** One instance reaps a dead one; if it dies mid-way, another takes over after this. */
const REAP_LOCK_MS = 10_000;
/** The registry of instances lives a day past the last beat of any (no key past 24 h). */
const REGISTRY_TTL_MS = 24 * 60 * 60 * 1000;
const POLL_MS = 100;

export type MembersLost = (roomId: string, memberIds: string[]) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Heartbeats and healing. Every instance keeps its heartbeat key alive,
 * lists itself in `{idx}instances`, and records each room it admits members
 * to in `{i:<id>}rooms` (a set living as long as its longest room). Every
 * HEARTBEAT_MS each instance checks the others' heartbeats; when one has
 * lapsed, one live instance (a lock decides which) removes that instance's
 * members from every room in its set — no KEYS, no SCAN — and reports them
 * (MembersLost) so their leaves are announced. A join that finds a room full
 * waits for the heartbeats of the instances holding its members first, so a
 * crashed instance's members never keep anybody out.
 */
export class InstanceWatch {
  private lost: MembersLost | undefined;
  private readonly timer: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly c: RedisContext,
    private readonly graceMs: number,
  ) {
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
    void this.beat();
  }

  onMembersLost(handler: MembersLost): void {
    this.lost = handler;
  }

  async beat(): Promise<void> {
    if (this.stopped) return;
    const { c } = this;
    const reg = c.keys.index('instances');
    const prev = await c.redis.set(c.keys.instance(c.instanceId).alive, '1', 'PX', HEARTBEAT_TTL_MS, 'GET').catch(() => 'error');
    await c.redis.multi().zadd(reg, c.clock(), c.instanceId).pexpire(reg, REGISTRY_TTL_MS).exec().catch(() => undefined);
    // Our own heartbeat lapsed (Redis unreachable or stalled for HEARTBEAT_TTL_MS): others may have removed our members.
    if (prev === null && this.beats++ > 0) c.log?.warn('instance heartbeat had lapsed; peers may have removed its members', {});
  }
  private beats = 0;

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      await this.beat();
      await this.reapDead();
    } catch {
      // Redis unreachable: the next tick tries again.
    } finally {
      this.ticking = false;
    }
  }

  /** Instances in the registry whose heartbeat key is gone. */
  private async dead(): Promise<string[]> {
    const { c } = this;
    const ids = (await c.redis.zrange(c.keys.index('instances'), 0, -1)).filter((id) => id !== c.instanceId);
    const alive = await Promise.all(ids.map((id) => c.redis.exists(c.keys.instance(id).alive)));
    return ids.filter((_, i) => alive[i] === 0);
  }

  async reapDead(): Promise<void> {
    for (const id of await this.dead()) await this.reap(id);
  }

  /** Removes a dead instance's members everywhere; false if another instance holds the reap lock. */
  private async reap(dead: string): Promise<boolean> {
    const { c } = this;
    const k = c.keys.instance(dead);
    if ((await c.redis.set(k.reap, c.instanceId, 'PX', REAP_LOCK_MS, 'NX')) !== 'OK') return false;
    const rooms = await c.redis.smembers(k.rooms);
    const now = c.clock();
    for (const roomId of rooms) {
      const rk = c.keys.room(roomId);
      const { expiresAt, removed } = await c.cmd.reapRoom(roomSlotKeys(rk), dead, now, this.graceMs, ROOM_REJOIN_GRACE_SECONDS * 1000);
      if (expiresAt > 0) {
        const room = await getRoom(c, roomId);
        if (room) await reindex(c, room, expiresAt, now, true);
      }
      if (removed.length) this.lost?.(roomId, removed);
      await c.redis.srem(k.rooms, roomId);
    }
    await c.redis.zrem(c.keys.index('instances'), dead);
    c.log?.info('healed after a lost instance', { rooms: rooms.length });
    return true;
  }

  /**
   * Called when a join found a room full: waits (at most HEARTBEAT_TTL_MS)
   * until each other instance holding members either renews its heartbeat
   * (alive) or loses it (dead, and is reaped). True if members were removed.
   */
  async settle(instances: string[]): Promise<boolean> {
    const { c } = this;
    const others = [...new Set(instances)].filter((id) => id !== c.instanceId);
    const verdicts = await Promise.all(
      others.map(async (id) => {
        const key = c.keys.instance(id).alive;
        const end = Date.now() + HEARTBEAT_TTL_MS + POLL_MS * 5;
        let last = await c.redis.pttl(key);
        while (last !== -2 && Date.now() < end) {
          await sleep(POLL_MS);
          const t = await c.redis.pttl(key);
          if (t > last + POLL_MS) return false;
          last = t;
        }
        if (last !== -2) return false;
        // Dead: reap it ourselves, or wait for whoever holds the lock to finish.
        if (await this.reap(id)) return true;
        const lockEnd = Date.now() + REAP_LOCK_MS;
        while (Date.now() < lockEnd && (await c.redis.exists(c.keys.instance(id).rooms)) === 1) await sleep(POLL_MS);
        return true;
      }),
    );
    return verdicts.some(Boolean);
  }

  /** A clean stop: our members left with their sockets, so drop our heartbeat and records at once. */
  async close(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const { c } = this;
    const k = c.keys.instance(c.instanceId);
    await Promise.all([c.redis.del(k.alive), c.redis.del(k.rooms), c.redis.zrem(c.keys.index('instances'), c.instanceId)]).catch(() => undefined);
  }
}
