/**
 * The wire protocol version. Every change to a schema in `messages/`, to a
 * code in `codes.ts` or to a limit in `limits.ts` bumps it and adds a line to
 * `PROTOCOL_HISTORY` with the new schema hash (see schema-hash.test.ts).
 *
 * Until the first release lands, version 1 is still open: changes update the
 * v1 line's schemaHash and note instead of bumping. After release, bump.
 *
 * History:
 *   1 — rooms: join with a join token, fixed-size opaque frames, presence,
 *       acks, typed errors; ghosts created by proof of work, with bearer
 *       sessions, destroy and footprint; ghost-bound join tokens, rotating
 *       invite tickets, public rooms with heat, aggregate stats.
 */
export const PROTOCOL_VERSION = 1 as const;

/** One entry per version: the hash of every wire schema at that version. */
export const PROTOCOL_HISTORY: ReadonlyArray<{ version: number; schemaHash: string; note: string }> = [
  { version: 1, schemaHash: 'l1khcxjYdSpO8YrD', note: 'rooms: join token, fixed-size frames, presence, acks, errors; proof-of-work challenge; ghosts (bearer sessions, destroy, footprint), ghost-bound join tokens, invite tickets, public rooms, stats' },
];
