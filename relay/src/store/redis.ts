import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { BacklogEntry, JoinResult, RoomRecord, Store } from './store.js';

/**
 * Atomic join: the member set is created and given the room's expiry in the
 * same script, so no key ever exists without a TTL, and the capacity check
 * cannot race another instance.
 */
const JOIN_LUA = `
local room = redis.call('GET', KEYS[1])
if not room then return 'gone' end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'ok' end
local r = cjson.decode(room)
if redis.call('SCARD', KEYS[2]) >= tonumber(r.capacity) then return 'full' end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIREAT', KEYS[2], r.expiresAt)
return 'ok'
`;

/** Removes a member; deletes the set when it empties so nothing lingers. */
const LEAVE_LUA = `
redis.call('SREM', KEYS[1], ARGV[1])
local n = redis.call('SCARD', KEYS[1])
return n
`;

/**
 * Backlog append (issue 4): the list is created, trimmed to the newest
 * ARGV[2] entries and given its expiry in one script, so the key never
 * exists without a TTL. Entries are `<seq>|<expiresAt>|<frame>`.
 */
const BACKLOG_APPEND_LUA = `
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
`;

/**
 * The Redis store. Every key is written with its TTL in the same command or
 * script. The offline queue is off and commands time out, so an outage fails
 * closed (callers turn the error into 503 / a named close code).
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private runId: string | undefined;

  private constructor(
    readonly redis: Redis,
    readonly prefix: string,
  ) {}

  static async connect(url: string, prefix: string, log?: Logger): Promise<RedisStore> {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: 2000,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    redis.on('error', (err: Error) => log?.warn('redis error', { err: err.name }));
    await redis.connect();
    return new RedisStore(redis, prefix);
  }

  private k(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /** Redis's run id changes on every restart: a restarted (empty) Redis invalidates outstanding tokens. */
  async epoch(): Promise<string> {
    const info = await this.redis.info('server');
    const id = /run_id:(\w+)/.exec(info)?.[1];
    if (!id) throw new Error('redis did not report a run_id');
    if (id !== this.runId) this.runId = id;
    return id;
  }

  async createRoom(room: RoomRecord): Promise<boolean> {
    const ok = await this.redis.set(this.k('room', room.id), JSON.stringify(room), 'PXAT', room.expiresAt, 'NX');
    return ok === 'OK';
  }

  async getRoom(id: string): Promise<RoomRecord | null> {
    const raw = await this.redis.get(this.k('room', id));
    return raw ? (JSON.parse(raw) as RoomRecord) : null;
  }

  async deleteRoom(id: string): Promise<void> {
    await this.redis.del(this.k('room', id), this.k('members', id), this.k('backlog', id));
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.k('claim', key), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async joinRoom(roomId: string, memberId: string): Promise<JoinResult> {
    const r = (await this.redis.eval(JOIN_LUA, 2, this.k('room', roomId), this.k('members', roomId), memberId)) as string;
    return r as JoinResult;
  }

  async leaveRoom(roomId: string, memberId: string): Promise<number> {
    return (await this.redis.eval(LEAVE_LUA, 1, this.k('members', roomId), memberId)) as number;
  }

  async memberCount(roomId: string): Promise<number> {
    return this.redis.scard(this.k('members', roomId));
  }

  // --- optional encrypted backlog (issue 4) ---
  async appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void> {
    const item = `${entry.seq}|${entry.expiresAt}|${entry.frame}`;
    await this.redis.eval(BACKLOG_APPEND_LUA, 1, this.k('backlog', roomId), item, max, entry.expiresAt);
  }

  async readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
    const items = await this.redis.lrange(this.k('backlog', roomId), 0, -1);
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
  }
  // --- end backlog ---

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
