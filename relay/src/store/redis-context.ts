import type { Logger } from '../log.js';
import type { RedisClient, ScriptCommands } from './redis-commands.js';
import type { FrameBatches } from './redis-frames.js';
import type { KeyLayout } from './redis-keys.js';

/** What the parts of the Redis store share: one client, one key layout, the scripts, one clock. */
export interface RedisContext {
  redis: RedisClient;
  keys: KeyLayout;
  cmd: ScriptCommands;
  /** Frames waiting for the end of this turn, per room (redis-frames.ts). */
  frames: FrameBatches;
  log: Logger | undefined;
  /** This process among the relay instances sharing the Redis (random per start). */
  instanceId: string;
  /** On a Cluster: sharded pub/sub (SPUBLISH); on one Redis: classic PUBLISH. */
  cluster: boolean;
  clock: () => number;
}

/**
 * Entries of a ghost's key index: `k:<full key>` (a key it owns, in its slot),
 * `m:<roomId>:<memberId>` (a membership) or `w:<roomId>` (a rejoin grace there).
 */
export type IndexEntry = { kind: 'key'; key: string } | { kind: 'member'; roomId: string; memberId: string } | { kind: 'recent'; roomId: string };

export const memberEntry = (roomId: string, memberId: string): string => `m:${roomId}:${memberId}`;
export const recentEntry = (roomId: string): string => `w:${roomId}`;
export const keyEntry = (fullKey: string): string => `k:${fullKey}`;

export function parseEntry(e: string): IndexEntry | null {
  if (e.startsWith('m:')) {
    const [, roomId, memberId] = e.split(':');
    return roomId && memberId ? { kind: 'member', roomId, memberId } : null;
  }
  if (e.startsWith('w:')) return e.length > 2 ? { kind: 'recent', roomId: e.slice(2) } : null;
  return e.startsWith('k:') ? { kind: 'key', key: e.slice(2) } : null;
}
