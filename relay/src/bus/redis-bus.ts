import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { RedisClient } from '../store/redis-commands.js';
import { connectRedis, type RedisTarget } from '../store/redis-connect.js';
import { shardOf, type KeyLayout } from '../store/redis-keys.js';
import type { RedisStore } from '../store/redis.js';
import type { Bus, DirectLink } from './bus.js';

/** Separates the header fields of a bus message (none of them can contain a space). */
const SEP = ' ';
/** Stands for "no member excluded". */
const NOBODY = '-';
/** Marks a ghost-closed message on the broadcast channel. */
const GHOST = 'g';

/**
 * Redis pub/sub between relay instances.
 *
 * Channels (redis-keys.ts; under REDIS_PREFIX):
 *   `{s<n>}bus`  — shard n of BUS_SHARDS: rooms are grouped by a hash of their id,
 *                  so an instance subscribes to at most BUS_SHARDS channels however
 *                  many rooms it serves (and drops what is for rooms it has no members of);
 *                  message `<instanceId> <roomId> <exceptMemberId|-> <server message JSON>`
 *   `{bus}all`   — every instance; message `<instanceId> g <ghostId>`
 *
 * On a Cluster these are shard channels (SPUBLISH/SSUBSCRIBE): a message
 * goes to the one shard that owns its slot instead of every node (classic
 * PUBLISH on a Cluster is copied to all nodes over the cluster bus), and a
 * room's shard channel shares the slot of its keys, so the script that
 * numbers a frame publishes it too. ioredis keeps one subscriber connection
 * per master (shardedSubscribers), so connections grow with masters, not
 * channels. On one Redis the same channels use classic PUBLISH/SUBSCRIBE:
 * identical fanout there (one server), and it works on every Redis version
 * and managed service, where SPUBLISH needs Redis 7.
 *
 * The JSON is the exact frame local members get, encoded once by the sender.
 * Publishing uses the store's connection; subscribing needs its own, which
 * ioredis re-subscribes after a reconnect or a failover.
 */
export class RedisBus implements Bus {
  private roomHandler: ((roomId: string, frame: Buffer, except: string | undefined) => void) | undefined;
  private ghostHandler: ((ghostId: string) => void) | undefined;
  private readonly shards = new Map<number, { count: number; ready: Promise<void> }>();
  private directHandler: ((message: string) => void) | undefined;
  /** /signal across instances: `{i:<id>}sig`, one channel per instance, subscribed at connect. */
  readonly direct: DirectLink;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly keys: KeyLayout,
    readonly instanceId: string,
    private readonly cluster: boolean,
    private readonly log: Logger,
  ) {
    this.direct = {
      instanceId,
      publish: (to, message) => {
        this.publish(this.keys.directChannel(to), message).catch((err: unknown) => {
      this.log.warn('bus publish failed', { err: err instanceof Error ? err.name : 'unknown' });
    });
      },
      onMessage: (handler) => {
        this.directHandler = handler;
      },
    };
    const onMessage = (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message);
    if (cluster) (sub as Cluster).on('smessageBuffer', onMessage);
    else (sub as Redis).on('messageBuffer', onMessage);
  }

  /** Opens the subscriber connection(s) beside the store and listens for ghost destruction. */
  static async connect(store: RedisStore, target: RedisTarget, log: Logger): Promise<RedisBus> {
    const sub = await connectRedis(target, log, store.cluster);
    const bus = new RedisBus(store.redis, sub, store.keys, store.instanceId, store.cluster, log);
    await bus.subscribe(store.keys.broadcastChannel);
    await bus.subscribe(store.keys.directChannel(store.instanceId));
    return bus;
  }

  private subscribe(channel: string): Promise<void> {
    return this.cluster ? (this.sub as Cluster).ssubscribe(channel).then(() => undefined) : (this.sub as Redis).subscribe(channel).then(() => undefined);
  }

  private unsubscribe(channel: string): Promise<void> {
    return this.cluster ? (this.sub as Cluster).sunsubscribe(channel).then(() => undefined) : (this.sub as Redis).unsubscribe(channel).then(() => undefined);
  }

  private publish(channel: string, message: Buffer | string): Promise<unknown> {
    return this.cluster ? this.pub.spublish(channel, message) : this.pub.publish(channel, message);
  }

  private receive(channel: string, message: Buffer): void {
    if (channel === this.keys.directChannel(this.instanceId)) {
      this.directHandler?.(message.toString());
      return;
    }
    const first = message.indexOf(SEP);
    if (first < 0 || message.subarray(0, first).toString() === this.instanceId) return;
    const second = message.indexOf(SEP, first + 1);
    if (second < 0) return;
    const field = message.subarray(first + 1, second).toString();
    if (channel === this.keys.broadcastChannel) {
      if (field === GHOST) this.ghostHandler?.(message.subarray(second + 1).toString());
      return;
    }
    const third = message.indexOf(SEP, second + 1);
    if (third < 0) return;
    const except = message.subarray(second + 1, third).toString();
    this.roomHandler?.(field, message.subarray(third + 1), except === NOBODY ? undefined : except);
  }

  /** The header SEND_FRAMES prefixes to each frame it publishes (see Store.sendFrame). */
  frameHeader(roomId: string, except?: string): string {
    return `${this.instanceId}${SEP}${roomId}${SEP}${except ?? NOBODY}${SEP}`;
  }

  /** Subscribes to the room's shard channel, once per shard however many rooms share it. */
  async subscribeRoom(roomId: string): Promise<void> {
    const n = shardOf(roomId);
    let s = this.shards.get(n);
    if (!s) {
      s = { count: 0, ready: this.subscribe(this.keys.shardChannel(n)) };
      this.shards.set(n, s);
    }
    s.count++;
    try {
      await s.ready;
    } catch (err) {
      if (--s.count === 0 && this.shards.get(n) === s) this.shards.delete(n);
      throw err;
    }
  }

  async unsubscribeRoom(roomId: string): Promise<void> {
    const n = shardOf(roomId);
    const s = this.shards.get(n);
    if (!s || --s.count > 0) return;
    this.shards.delete(n);
    await s.ready.catch(() => undefined);
    // A room of the same shard may have subscribed again meanwhile (its SUBSCRIBE is queued after this).
    if (!this.shards.has(n)) await this.unsubscribe(this.keys.shardChannel(n)).catch(() => undefined);
  }

  async publishRoom(roomId: string, frame: Buffer, except?: string): Promise<void> {
    try {
      await this.publish(this.keys.room(roomId).channel, Buffer.concat([Buffer.from(this.frameHeader(roomId, except)), frame]));
    } catch (err) {
      this.log.warn('bus publish failed', { err: (err as Error).name });
    }
  }

  async publishGhostClosed(ghostId: string): Promise<void> {
    try {
      await this.publish(this.keys.broadcastChannel, `${this.instanceId}${SEP}${GHOST}${SEP}${ghostId}`);
    } catch (err) {
      // Redis is down: the other instances cannot relay for this ghost either (they close with 4503).
      this.log.warn('bus publish failed', { err: (err as Error).name });
    }
  }

  onRoom(handler: (roomId: string, frame: Buffer, except: string | undefined) => void): void {
    this.roomHandler = handler;
  }

  onGhostClosed(handler: (ghostId: string) => void): void {
    this.ghostHandler = handler;
  }

  async close(): Promise<void> {
    this.sub.disconnect();
  }
}
