import { ghostRecordSchema, readRecord } from './records.js';
import { parseEntry, type RedisContext } from './redis-context.js';
import { bumpCounter } from './redis-counters.js';
import { leaveRoom } from './redis-rooms.js';
import { summariseFootprint } from './policy.js';
import type { FootprintKind, FootprintRecord, GhostRecord, GhostSession } from './store.js';

const indexMember = (g: GhostRecord) => `${g.createdAt}:${g.id}`;

/** Stores a new ghost and lists it in the live-ghost index (its own slot, so a second call). */
export async function createGhost(c: RedisContext, g: GhostRecord, now: number, sessionTtlMs: number): Promise<GhostSession | null> {
  const expiresAt = Math.min(now + sessionTtlMs, g.hardExpiresAt);
  const k = c.keys.ghost(g.id);
  if (!(await c.cmd.createGhost(k.ghost, JSON.stringify(g), expiresAt))) return null;
  await c.cmd.indexAdd(c.keys.index('ghosts'), expiresAt, indexMember(g), false, now);
  return { ...g, expiresAt };
}

export async function touchGhost(c: RedisContext, id: string, now: number, sessionTtlMs: number, tokenHash?: string): Promise<GhostSession | null> {
  const k = c.keys.ghost(id);
  const r = await c.cmd.touchGhost(k.ghost, k.gkeys, now, sessionTtlMs, tokenHash ?? '');
  if (!r) return null;
  const g = readRecord(ghostRecordSchema, r.raw, 'ghost', c.log);
  if (!g || g.id !== id) return null;
  if (r.moved) await c.cmd.indexAdd(c.keys.index('ghosts'), r.expiresAt, indexMember(g), true, now);
  return { ...g, expiresAt: r.expiresAt };
}

/** Deletes the ghost's keys in its slot, then its memberships room by room (O(its keys), no SCAN), then counts the ended session. */
export async function destroyGhost(c: RedisContext, id: string, now: number, graceMs: number): Promise<boolean> {
  const k = c.keys.ghost(id);
  const r = await c.cmd.destroyGhost(k.ghost, k.gkeys);
  if (!r) return false;
  const g = readRecord(ghostRecordSchema, r.raw, 'ghost', c.log);
  await Promise.all(
    r.entries.map((e) => {
      const entry = parseEntry(e);
      if (entry?.kind === 'member') return leaveRoom(c, entry.roomId, entry.memberId, now, graceMs, 0, id);
      return entry?.kind === 'recent' ? c.redis.hdel(c.keys.room(entry.roomId).recent, id) : Promise.resolve();
    }),
  );
  if (g) {
    await c.redis.zrem(c.keys.index('ghosts'), indexMember(g));
    await Promise.all([bumpCounter(c, 'ended', now, 1), bumpCounter(c, 'endedms', now, Math.max(0, now - g.createdAt))]);
  }
  return true;
}

/** What is held about the ghost right now, read key by key (each read names one key, so any slot). */
export async function ghostFootprint(c: RedisContext, id: string): Promise<FootprintRecord[]> {
  const k = c.keys.ghost(id);
  const [ghostTtl, indexTtl, entries] = await Promise.all([c.redis.pttl(k.ghost), c.redis.pttl(k.gkeys), c.redis.smembers(k.gkeys)]);
  if (ghostTtl <= 0) return [];
  const now = c.clock();
  const items = await Promise.all(
    entries.map(async (e): Promise<[FootprintKind, number]> => {
      const entry = parseEntry(e);
      if (!entry) return ['rate-limit', 0];
      if (entry.kind === 'key') return ['rate-limit', now + (await c.redis.pttl(entry.key))];
      if (entry.kind === 'recent') {
        const until = Number((await c.redis.hget(c.keys.room(entry.roomId).recent, id)) ?? 0);
        return ['membership', until > now ? until : 0];
      }
      const members = c.keys.room(entry.roomId).members;
      return ['membership', (await c.redis.hexists(members, entry.memberId)) ? now + (await c.redis.pttl(members)) : 0];
    }),
  );
  return summariseFootprint(now + ghostTtl, indexTtl > 0, items, now);
}
