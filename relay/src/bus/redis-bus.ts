import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { createRedis } from '../store/redis.js';
import type { Bus } from './bus.js';

/** Separates the header fields of a bus message (none of them can contain a space). */
const SEP = ' ';
/** Stands for "no member excluded". */
const NOBODY = '-';

/**
 * Redis pub/sub between relay instances.
 *
 * Channels (under REDIS_PREFIX):
 *   `<prefix>bus:room:<roomId>`   — subscribed by each instance while it has
 *                                   members of the room; message
 *                                   `<instanceId> <exceptMemberId|-> <server message JSON>`
 *   `<prefix>bus:ghost-closed`    — every instance; message `<instanceId> <ghostId>`
 *
 * The JSON is the exact frame local members get, encoded once by the sender.
 * Publishing uses the store's connection; subscribing needs its own
 * (a subscribed connection can do nothing else), which ioredis re-subscribes
 * after a reconnect.
 */
export class RedisBus implements Bus {
  readonly instanceId = randomBytes(8).toString('base64url');
  private roomHandler: ((roomId: string, frame: Buffer, except: string | undefined) => void) | undefined;
  private ghostHandler: ((ghostId: string) => void) | undefined;
  private readonly roomPrefix: string;
  private readonly ghostChannel: string;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.roomPrefix = `${prefix}bus:room:`;
    this.ghostChannel = `${prefix}bus:ghost-closed`;
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
  }

  /** Opens the subscriber connection and listens for ghost destruction. */
  static async connect(pub: Redis, url: string, prefix: string, log: Logger): Promise<RedisBus> {
    const sub = createRedis(url, log);
    await sub.connect();
    const bus = new RedisBus(pub, sub, prefix, log);
    await sub.subscribe(bus.ghostChannel);
    return bus;
  }

  private receive(channel: string, message: Buffer): void {
    const first = message.indexOf(SEP);
    if (first < 0 || message.subarray(0, first).toString() === this.instanceId) return;
    if (channel === this.ghostChannel) {
      this.ghostHandler?.(message.subarray(first + 1).toString());
      return;
    }
    if (!channel.startsWith(this.roomPrefix)) return;
    const second = message.indexOf(SEP, first + 1);
    if (second < 0) return;
    const except = message.subarray(first + 1, second).toString();
    this.roomHandler?.(channel.slice(this.roomPrefix.length), message.subarray(second + 1), except === NOBODY ? undefined : except);
  }

  async subscribeRoom(roomId: string): Promise<void> {
    await this.sub.subscribe(this.roomPrefix + roomId);
  }

  async unsubscribeRoom(roomId: string): Promise<void> {
    await this.sub.unsubscribe(this.roomPrefix + roomId).catch(() => undefined);
  }

  async publishRoom(roomId: string, frame: Buffer, except?: string): Promise<void> {
    const head = Buffer.from(`${this.instanceId}${SEP}${except ?? NOBODY}${SEP}`);
    try {
      await this.pub.publish(this.roomPrefix + roomId, Buffer.concat([head, frame]));
    } catch (err) {
      this.log.warn('bus publish failed', { err: (err as Error).name });
    }
  }

  async publishGhostClosed(ghostId: string): Promise<void> {
    try {
      await this.pub.publish(this.ghostChannel, `${this.instanceId}${SEP}${ghostId}`);
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
