import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import type { CommitResult } from './store.js';
import * as roomScripts from './redis-room-scripts.js';
import * as otherScripts from './redis-scripts.js';

const lua = { ...otherScripts, ...roomScripts };

/** A single Redis or a Cluster: the store and bus speak to either the same way. */
export type RedisClient = Redis | Cluster;

type Arg = string | number;
type Raw = (keys: string[], args: Arg[]) => Promise<unknown>;

/** What a script returned did not have the shape its wrapper expects (a bug, or a different script under the same name). */
export class ScriptReplyError extends Error {
  constructor(script: string) {
    super(`unexpected reply from script ${script}`);
    this.name = 'ScriptReplyError';
  }
}

const str = z.string();
const num = z.coerce.number();
const parse = <T>(script: string, schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new ScriptReplyError(script);
  return r.data;
};

const pair = z.tuple([num, num]);
const isIntPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && Number.isInteger(v[1]);
const touchReply = z.tuple([str, num, num]).nullable();
const destroyReply = z.array(str).min(1).nullable();
const joinReply = z.array(z.union([str, num])).min(1);
const reapReply = z.array(z.union([str, num])).min(1);

const commitReply = z.union([z.tuple([z.literal('ok'), num, num, num]), z.tuple([z.enum(['stale', 'gone']), num])]);

/** One message SEND_FRAMES or COMMIT numbers: `head` + seq + `tail` (redis-room-scripts.ts NUMBER_AND_SEND). */
export interface SendMessage {
  tail: string;
  /** The bus header for the other instances; '' publishes nothing. */
  busHeader: string;
  /** When it leaves the backlog (epoch ms). */
  backlogExpiresAt: number;
}

/** What SEND_FRAMES and COMMIT number, keep and publish: messages of one room that share `head`, in order. */
export interface SendArgs {
  now: number;
  heatTauMs: number;
  head: string;
  backlogMax: number;
  publish: 'PUBLISH' | 'SPUBLISH';
  channel: string;
  messages: SendMessage[];
}

const sendArgs = (a: SendArgs, epoch: number | '' = ''): Arg[] => {
  const out: Arg[] = [a.now, a.heatTauMs, a.head, a.backlogMax, a.publish, a.channel, epoch, a.messages.length];
  for (const m of a.messages) out.push(m.tail, m.busHeader, m.backlogExpiresAt);
  return out;
};

export interface JoinReply {
  result: 'ok' | 'full' | 'gone' | 'bad';
  raw: string | undefined;
  seq: number;
  epoch: number;
  others: string[];
  /** On 'full': the instances holding the members. */
  instances: string[];
}

/** Registers every script with defineCommand (EVALSHA, falling back to EVAL once per node) and gives each a typed call. */
export function scriptCommands(redis: RedisClient) {
  const raw = {} as Record<keyof typeof lua, Raw>;
  for (const [name, source] of Object.entries(lua) as [keyof typeof lua, string][]) {
    redis.defineCommand(`gw_${name}`, { lua: source });
    raw[name] = (keys, args) => (redis as unknown as Record<string, (...a: Arg[]) => Promise<unknown>>)[`gw_${name}`]!(keys.length, ...keys, ...args);
  }
  const flag = async (name: keyof typeof lua, keys: string[], args: Arg[]) => parse(name, num, await raw[name](keys, args)) === 1;
  return {
    createGhost: (ghost: string, json: string, expiresAt: number) => flag('CREATE_GHOST', [ghost], [json, expiresAt]),
    async touchGhost(ghost: string, gkeys: string, now: number, ttl: number, tokenHash: string) {
      const r = parse('TOUCH_GHOST', touchReply, await raw.TOUCH_GHOST([ghost, gkeys], [now, ttl, tokenHash]));
      return r && { raw: r[0], expiresAt: r[1], moved: r[2] === 1 };
    },
    async destroyGhost(ghost: string, gkeys: string) {
      const r = parse('DESTROY_GHOST', destroyReply, await raw.DESTROY_GHOST([ghost, gkeys], []));
      return r && { raw: r[0]!, entries: r.slice(1) };
    },
    ghostEntry: async (ghost: string, gkeys: string, entry: string) => parse('GHOST_ENTRY', num, await raw.GHOST_ENTRY([ghost, gkeys], [entry])),
    grantRejoin: (room: string, recent: string, ghostId: string, now: number, ms: number) => flag('GRANT_REJOIN', [room, recent], [ghostId, now, ms]),
    createRoom: (room: string, json: string, keyExpiresAt: number) => flag('CREATE_ROOM', [room], [json, keyExpiresAt]),
    async joinRoom(keys: string[], memberId: string, value: string): Promise<JoinReply> {
      const r = parse('JOIN_ROOM', joinReply, await raw.JOIN_ROOM(keys, [memberId, value]));
      const result = parse('JOIN_ROOM', z.enum(['ok', 'full', 'gone', 'bad']), r[0]);
      const n = Number(r[4] ?? 0);
      const others = r.slice(5, 5 + n).map(String);
      return { result, raw: r[1] === undefined ? undefined : String(r[1]), seq: Number(r[2] ?? 0), epoch: Number(r[3] ?? 0), others, instances: r.slice(5 + n).map(String) };
    },
    async leaveRoom(keys: string[], memberId: string, now: number, graceMs: number, rejoinGraceMs: number, forgetGhost: string) {
      const [left, expiresAt, marked] = parse('LEAVE_ROOM', z.tuple([num, num, num]), await raw.LEAVE_ROOM(keys, [memberId, now, graceMs, rejoinGraceMs, forgetGhost]));
      return { left, expiresAt, marked: marked === 1 };
    },
    async reapRoom(keys: string[], instanceId: string, now: number, graceMs: number, rejoinGraceMs: number) {
      const r = parse('REAP_ROOM', reapReply, await raw.REAP_ROOM(keys, [instanceId, now, graceMs, rejoinGraceMs]));
      return { expiresAt: Number(r[0]), removed: r.slice(1).map(String) };
    },
    /** Numbers a.messages (frames of one room) from the returned first seq on; first is 0 when the room is gone. */
    async sendFrames(keys: string[], a: SendArgs) {
      const v = await raw.SEND_FRAMES(keys, sendArgs(a));
      // Once per batch of frames: two integers are checked by hand (zod's tuple showed in the relay's profile); anything else goes to the schema.
      const [first, members] = isIntPair(v) ? v : parse('SEND_FRAMES', pair, v);
      return { first, members };
    },
    async commit(keys: string[], a: SendArgs, epoch: number): Promise<CommitResult> {
      const r = parse('COMMIT', commitReply, await raw.COMMIT(keys, sendArgs(a, epoch)));
      return r[0] === 'ok' ? { ok: true, epoch: r[1], seq: r[2], members: r[3] } : { ok: false, epoch: r[1], gone: r[0] === 'gone' };
    },
    appendBacklog: async (backlog: string, member: string, max: number, expiresAt: number, seq: number, now: number) =>
      void (await raw.BACKLOG_APPEND([backlog], [member, max, expiresAt, seq, now])),
    async takeToken(keys: string[], capacity: number, refillPerSecond: number, now: number, cost: number, entry: string) {
      const [ok, retryAfterMs] = parse('TAKE_TOKEN', pair, await raw.TAKE_TOKEN(keys, [capacity, refillPerSecond, now, cost, entry]));
      return { ok: ok === 1, retryAfterMs };
    },
    indexAdd: async (index: string, score: number, member: string, onlyExisting: boolean, now: number) =>
      void (await raw.INDEX_ADD([index], [score, member, onlyExisting ? '1' : '0', now])),
    setAddUntil: async (set: string, member: string, expiresAt: number, now: number) => void (await raw.SET_ADD_UNTIL([set], [member, expiresAt, now])),
    async sweepGhosts(index: string, now: number, limit: number) {
      const [count, ms] = parse('SWEEP_GHOSTS', pair, await raw.SWEEP_GHOSTS([index], [now, limit]));
      return { count, ms };
    },
    async signalJoin(key: string, peerId: string, instanceId: string, now: number, ttlMs: number) {
      const r = parse('SIGNAL_JOIN', z.tuple([z.enum(['ok', 'full']), num, str, str]), await raw.SIGNAL_JOIN([key], [peerId, instanceId, now, ttlMs]));
      return { result: r[0], expiresAt: r[1], other: r[2] ? { id: r[2], instance: r[3] } : undefined };
    },
    signalLeave: async (key: string, peerId: string) => void (await raw.SIGNAL_LEAVE([key], [peerId])),
    signalPair: async (key: string, a: string, aInst: string, b: string, bInst: string, expiresAt: number) =>
      void (await raw.SIGNAL_PAIR([key], [a, aInst, b, bInst, expiresAt])),
    async signalStranger(queue: string, entry: string, now: number, maxWaiting: number) {
      const r = parse('SIGNAL_STRANGER', z.union([z.tuple([z.literal('paired'), str]), z.tuple([z.enum(['waiting', 'busy'])])]), await raw.SIGNAL_STRANGER([queue], [entry, now, maxWaiting]));
      return r[0] === 'paired' ? { result: 'paired' as const, mate: r[1] } : { result: r[0] };
    },
    epoch: async (key: string, fresh: string, ttlMs: number) => parse('EPOCH', str, await raw.EPOCH([key], [fresh, ttlMs])),
  };
}

export type ScriptCommands = ReturnType<typeof scriptCommands>;
