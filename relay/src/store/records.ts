import { z } from 'zod';
import { GHOST_KEY_ALGS } from '../../../protocol/src/messages/ghosts-api.js';
import type { Logger } from '../log.js';
import type { GhostRecord, RoomRecord } from './store.js';

/**
 * Schemas of the records read back from Redis. An older relay in a rolling
 * deploy (or anyone with access to the Redis) may have written them, so they
 * are parsed like any other input: a record that does not fit is treated as
 * absent, with a log line, never trusted and never a crash.
 */
const epochMs = z.number().int().nonnegative();

export const roomRecordSchema = z.object({
  id: z.string().min(1).max(64),
  accessKeyHash: z.string().min(1).max(128),
  capacity: z.number().int().positive(),
  createdAt: epochMs,
  expiresAt: epochMs,
  public: z.boolean(),
  invites: z.boolean(),
  meta: z.string().max(4096).optional(),
  backlog: z.number().int().nonnegative().optional(),
  backlogTtlMs: z.number().int().positive().optional(),
}) satisfies z.ZodType<RoomRecord>;

export const ghostRecordSchema = z.object({
  id: z.string().min(1).max(64),
  tokenHash: z.string().min(1).max(128),
  publicKey: z.string().min(1).max(512),
  alg: z.enum(GHOST_KEY_ALGS),
  createdAt: epochMs,
  hardExpiresAt: epochMs,
}) satisfies z.ZodType<GhostRecord>;

/** Parses a stored JSON record; null (and a warning naming only the record kind) when it is not one. */
export function readRecord<T>(schema: z.ZodType<T>, raw: string | null | undefined, kind: 'room' | 'ghost' | 'signal', log?: Logger): T | null {
  if (raw === null || raw === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = undefined;
  }
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  log?.warn('store record unreadable', { kind, issues: r.error?.issues.length ?? 0 });
  return null;
}
