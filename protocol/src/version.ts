/**
 * The wire protocol version. Every change to a schema in `messages/`, to a
 * code in `codes.ts` or to a limit in `limits.ts` bumps it and adds a line to
 * `PROTOCOL_HISTORY` with the new schema hash (see schema-hash.test.ts).
 *
 * History:
 *   1 — rooms: join with a join token, fixed-size opaque frames, presence,
 *       acks, typed errors.
 */
export const PROTOCOL_VERSION = 1 as const;

/** One entry per version: the hash of every wire schema at that version. */
export const PROTOCOL_HISTORY: ReadonlyArray<{ version: number; schemaHash: string; note: string }> = [
  { version: 1, schemaHash: '7yBE9Fr8GVvn4woH', note: 'rooms: join token, fixed-size frames, presence, acks, errors; proof-of-work challenge' },
];
