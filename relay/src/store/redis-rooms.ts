import { ROOM_EMPTY_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import { readRecord, roomRecordSchema } from './records.js';
import { corkForTurn } from './redis-connect.js';
import { memberEntry, type RedisContext } from './redis-context.js';
import { messageOf, roomSendArgs } from './redis-frames.js';
import { roomSlotKeys } from './redis-keys.js';
import { decayHeat, heatLevel, rankPublicRooms } from './policy.js';
import { type BacklogEntry, type CommitResult, type FramePlan, type JoinOutcome, type PublicRoom, type RoomRecord, type SeqResult } from './store.js';

/** Bounds the work one lobby call may do. */
const LOBBY_SCAN = 200;

/** Moves a room's entries in the room indexes to its key's new expiry. */
export async function reindex(c: RedisContext, room: Pick<RoomRecord, 'id' | 'public'>, expiresAt: number, now: number, onlyExisting: boolean): Promise<void> {
  await Promise.all([
    c.cmd.indexAdd(c.keys.index('rooms'), expiresAt, room.id, onlyExisting, now),
    room.public ? c.cmd.indexAdd(c.keys.index('public'), expiresAt, room.id, onlyExisting, now) : undefined,
  ]);
}

export async function createRoom(c: RedisContext, room: RoomRecord, now: number, graceMs: number): Promise<boolean> {
  const keyExpiresAt = Math.min(room.expiresAt, now + graceMs);
  if (!(await c.cmd.createRoom(c.keys.room(room.id).room, JSON.stringify(room), keyExpiresAt))) return false;
  await reindex(c, room, keyExpiresAt, now, false);
  return true;
}

export async function getRoom(c: RedisContext, id: string): Promise<RoomRecord | null> {
  const r = readRecord(roomRecordSchema, await c.redis.get(c.keys.room(id).room), 'room', c.log);
  return r && r.id === id ? r : null;
}

export async function deleteRoom(c: RedisContext, id: string): Promise<void> {
  await c.redis.del(...roomSlotKeys(c.keys.room(id)));
  await Promise.all([c.redis.zrem(c.keys.index('rooms'), id), c.redis.zrem(c.keys.index('public'), id)]);
}

/**
 * Joins in three slots, in an order that leaves nothing behind: the ghost's
 * key index first lists the membership (only while the ghost lives; that is
 * the ghost check), then the room's script admits the member, then this
 * instance records that it holds members of the room (for healing).
 */
export async function joinRoom(c: RedisContext, roomId: string, memberId: string, ghostId: string, now: number): Promise<JoinOutcome & { instances: string[] }> {
  const k = c.keys.room(roomId);
  const g = c.keys.ghost(ghostId);
  const room = await getRoom(c, roomId);
  if (!room) return { result: 'gone', room: null, members: [], seq: 0, epoch: 0, instances: [] };
  if ((await c.cmd.ghostEntry(g.ghost, g.gkeys, memberEntry(roomId, memberId))) === 0) {
    return { result: 'no-ghost', room, members: [], seq: 0, epoch: 0, instances: [] };
  }
  const r = await c.cmd.joinRoom([k.room, k.members, k.seq, k.heat, k.epoch], memberId, `${ghostId} ${c.instanceId}`);
  if (r.result === 'gone' || r.result === 'bad') return { result: 'gone', room: null, members: [], seq: 0, epoch: 0, instances: [] };
  const current = readRecord(roomRecordSchema, r.raw, 'room', c.log);
  if (!current) return { result: 'gone', room: null, members: [], seq: 0, epoch: 0, instances: [] };
  if (r.result === 'ok') {
    // Destroyed between the first step and the second: its destroy could not see this membership, so undo it here.
    if ((await c.redis.exists(g.ghost)) === 0) {
      await leaveRoom(c, roomId, memberId, now, ROOM_EMPTY_GRACE_SECONDS * 1000, 0, ghostId);
      return { result: 'no-ghost', room: current, members: [], seq: 0, epoch: 0, instances: [] };
    }
    await Promise.all([
      c.cmd.setAddUntil(c.keys.instance(c.instanceId).rooms, roomId, current.expiresAt, now),
      reindex(c, current, current.expiresAt, now, true),
    ]);
  }
  return { result: r.result, room: current, members: r.others, seq: r.seq, epoch: r.epoch, instances: r.instances };
}

/**
 * Removes a member; once the room is empty its keys (and index entries) end
 * after the grace. With `rejoinGraceMs`, a ghost leaving a room with invites
 * keeps a rejoin grace there (`marked`); `forgetGhost` ends that ghost's grace instead.
 */
export async function leaveRoom(
  c: RedisContext,
  roomId: string,
  memberId: string,
  now: number,
  graceMs: number,
  rejoinGraceMs = 0,
  forgetGhost = '',
): Promise<{ left: number; marked: boolean }> {
  const k = c.keys.room(roomId);
  // The member's frames of this turn are numbered before it leaves, as they arrived.
  c.frames.flushRoom(roomId);
  const { left, expiresAt, marked } = await c.cmd.leaveRoom(roomSlotKeys(k), memberId, now, graceMs, rejoinGraceMs, forgetGhost);
  if (expiresAt > 0) {
    const room = await getRoom(c, roomId);
    if (room) await reindex(c, room, expiresAt, now, true);
  }
  return { left, marked };
}

export async function isMember(c: RedisContext, roomId: string, ghostId: string): Promise<boolean> {
  return (await c.redis.hvals(c.keys.room(roomId).members)).some((v) => v.split(' ')[0] === ghostId);
}

/** A current member, or a ghost whose rejoin grace in the room has not run out. */
export async function mayRejoin(c: RedisContext, roomId: string, ghostId: string, now: number): Promise<boolean> {
  if (await isMember(c, roomId, ghostId)) return true;
  return Number((await c.redis.hget(c.keys.room(roomId).recent, ghostId)) ?? 0) > now;
}


/** Numbers, keeps and publishes a frame: one script call for the room's frames of this turn (redis-frames.ts). */
export function sendFrame(c: RedisContext, roomId: string, plan: FramePlan, now: number): Promise<SeqResult> {
  return c.frames.add(roomId, plan, now);
}

/** The epoch check, the epoch's increment and the commit's numbering, keeping and publishing in one script, after the room's pending frames. */
export async function commit(c: RedisContext, roomId: string, epoch: number, plan: FramePlan, now: number): Promise<CommitResult> {
  corkForTurn(c.redis);
  c.frames.flushRoom(roomId);
  const k = c.keys.room(roomId);
  return c.cmd.commit(roomSlotKeys(k), roomSendArgs(k, c.cluster, plan.head, plan.backlogMax, now, [messageOf(plan)]), epoch);
}

export async function appendBacklog(c: RedisContext, roomId: string, entry: BacklogEntry, max: number): Promise<void> {
  await c.cmd.appendBacklog(c.keys.room(roomId).backlog, `${entry.seq}|${entry.expiresAt}|${entry.frame}`, max, entry.expiresAt, entry.seq, c.clock());
}

export async function readBacklog(c: RedisContext, roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
  const items = await c.redis.zrangebyscore(c.keys.room(roomId).backlog, `(${afterSeq}`, '+inf');
  const now = c.clock();
  const out: BacklogEntry[] = [];
  for (const item of items) {
    const a = item.indexOf('|');
    const b = item.indexOf('|', a + 1);
    const seq = Number(item.slice(0, a));
    const expiresAt = Number(item.slice(a + 1, b));
    if (a > 0 && b > a && Number.isInteger(seq) && seq > afterSeq && expiresAt > now) out.push({ seq, expiresAt, frame: item.slice(b + 1) });
  }
  return out;
}

export async function listPublicRooms(c: RedisContext, now: number, limit: number): Promise<PublicRoom[]> {
  const z = c.keys.index('public');
  await c.redis.zremrangebyscore(z, '-inf', now);
  const ids = await c.redis.zrange(z, 0, LOBBY_SCAN - 1);
  const rows = await Promise.all(
    ids.map(async (id): Promise<PublicRoom | null> => {
      const k = c.keys.room(id);
      const [room, participants, heat] = await Promise.all([getRoom(c, id), c.redis.hlen(k.members), c.redis.hmget(k.heat, 'h', 't')]);
      if (!room?.public) return null;
      const h = decayHeat(Number(heat[0] ?? 0) || 0, Number(heat[1] ?? now) || now, now);
      return { room, participants, heat: heatLevel(h) };
    }),
  );
  return rankPublicRooms(rows.filter((r): r is PublicRoom => r !== null), limit);
}
