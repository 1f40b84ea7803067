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
 *       SDP/ICE and fallback data frames relayed, every direct frame exactly
 *       DIRECT_FRAME_BYTES (long content in parts), receipts and cover
 *       preferences inside them;
 *       path-kind reports counted in aggregate; GET /api/ice. Ghosts
 *       created by proof of work, with bearer sessions, destroy and footprint; ghost-bound join tokens, rotating
 *       invite tickets, public rooms with heat, aggregate stats.
 *       Part headers carry the sender's stream id and counter (`s`, `c`)
 *       inside the signature, so receivers see gaps, reorders and replays per
 *       sender; reassembly is budgeted per member id and per key, counted as
 *       bytes arrive, with REASSEMBLY_MAX_LIFETIME_MS and
 *       REASSEMBLY_MAX_SENDER_BYTES; received images past
 *       MAX_RECEIVED_IMAGE_PIXELS are refused before decoding.
 *       MLS handshakes (RFC 9420): `commit` (made in an epoch, with an
 *       optional Welcome, each at most HANDSHAKE_MAX_BYTES), answered by
 *       `committed` or a `stale_epoch` error carrying the room's epoch; the
 *       relay accepts one commit per epoch and numbers commits in the seq of
 *       frames (backlog included); `joined` carries the epoch;
 *       MAX_WS_MESSAGE_BYTES raised so a commit fits; /signal keeps 96 KiB
       (SIGNAL_MAX_MESSAGE_BYTES).
 */
export const PROTOCOL_VERSION = 1 as const;

/** One entry per version: the hash of every wire schema at that version. */
export const PROTOCOL_HISTORY: ReadonlyArray<{ version: number; schemaHash: string; note: string }> = [
  { version: 1, schemaHash: 'n4X70wrb9cTcvH-q', note: 'rooms: join token, fixed-size frames, presence, acks, errors; proof-of-work challenge; signed content envelopes (ECDSA P-256/Ed25519), parts and reassembly limits, text/image messages with time-lock and read-once; /live /ready /health /metrics; POST /api/wipe (Clear-Site-Data); optional backlog (join lastSeq), /ws hardening codes and limits; /signal direct mode (join/stranger, keys, confirm, sealed rtc/data, every direct frame exactly DIRECT_FRAME_BYTES with long content split into parts, receipts (ack), cover preferences (prefs), per-peer receive budget, path reports for aggregate metrics), GET /api/ice; ghosts (bearer sessions, destroy, footprint), ghost-bound join tokens, invite tickets, public rooms (room meta: a sealed name, or a public room secret and name; join tokens carry the meta), stats; join deadline (JoinTimeout 4412), /signal limits and HTTP body limit in limits.ts; part headers carry a signed sender stream id and counter (s, c) for gap, order and replay detection; reassembly budgets per member id and per key (REASSEMBLY_MAX_SENDER_BYTES, REASSEMBLY_MAX_LIFETIME_MS); MAX_RECEIVED_IMAGE_PIXELS; invite tickets are single-use, a ghost a ticket admitted, or that left a room with invites, may rejoin without one within ROOM_REJOIN_GRACE_SECONDS, INVITE_QR_REFRESH_SECONDS; ROOM_MAX_CAPACITY 1000 (a relay may set a lower ceiling); MLS delivery service: commit (epoch, data, welcome ≤ HANDSHAKE_MAX_BYTES), committed, stale_epoch error with the room epoch, one commit per epoch numbered in the room seq with frames, joined.epoch, MAX_WS_MESSAGE_BYTES 704 KiB; /signal keeps its own SIGNAL_MAX_MESSAGE_BYTES 96 KiB' },
];
