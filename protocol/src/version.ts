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
 *       acks, typed errors; optional encrypted backlog replayed after a
 *       join's lastSeq; rate, heartbeat, slow-consumer and per-ghost socket
 *       limits. Inside sealed frames: signed envelopes carrying message parts
 *       (content.ts, crypto/envelope.ts, crypto/chunk.ts). /signal: direct rooms
 *       of two peers and stranger pairing; ECDH keys, key confirmation, sealed
 *       SDP/ICE and fallback data frames relayed, path-kind reports counted
 *       in aggregate; GET /api/ice. Ghosts
 *       created by proof of work, with bearer sessions, destroy and footprint; ghost-bound join tokens, rotating
 *       invite tickets, public rooms with heat, aggregate stats.
 */
export const PROTOCOL_VERSION = 1 as const;

/** One entry per version: the hash of every wire schema at that version. */
export const PROTOCOL_HISTORY: ReadonlyArray<{ version: number; schemaHash: string; note: string }> = [
  { version: 1, schemaHash: 'AC0S_QRPudTqxYtt', note: 'rooms: join token, fixed-size frames, presence, acks, errors; proof-of-work challenge; signed content envelopes (ECDSA P-256/Ed25519), parts and reassembly limits, text/image messages with time-lock and read-once; /live /ready /health /metrics; POST /api/wipe (Clear-Site-Data); optional backlog (join lastSeq), /ws hardening codes and limits; /signal direct mode (join/stranger, keys, confirm, sealed rtc/data, path reports for aggregate metrics), GET /api/ice; ghosts (bearer sessions, destroy, footprint), ghost-bound join tokens, invite tickets, public rooms (room meta: a sealed name, or a public room secret and name; join tokens carry the meta), stats; join deadline (JoinTimeout 4412), /signal limits and HTTP body limit in limits.ts' },
];
