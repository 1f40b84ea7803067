/**
 * The wire protocol version. Every change to a schema in `messages/`, to a
 * code in `codes.ts` or to a limit in `limits.ts` bumps it and adds a line to
 * `PROTOCOL_HISTORY` with the new schema hash (see schema-hash.test.ts).
 *
 * Every change bumps: a client of another version is told so (the typed
 * `unsupported_version` error, then close ProtocolError), never half-understood.
 * Version 1 was kept open while rooms were built; its line below is the last
 * hash it had.
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
 *       Late in v1 (recorded in its last hash): the MLS delivery service.
 *   2 — MLS rooms (RFC 9420) are what private rooms are by default. On the
 *       wire: `commit` (made in an epoch, with an optional Welcome, each at
 *       most HANDSHAKE_MAX_BYTES), answered by `committed` or a `stale_epoch`
 *       error carrying the room's epoch; the relay accepts one commit per
 *       epoch and numbers commits in the seq of frames (backlog included);
 *       `joined` carries the epoch; MAX_WS_MESSAGE_BYTES raised so a commit
 *       fits, while /signal keeps SIGNAL_MAX_MESSAGE_BYTES (96 KiB). Inside
 *       frames of an MLS room: join requests sealed with the invite key and
 *       MLS application messages under the room key's one-size wrapping. In
 *       the link: the `~m` mark (web/src/fragment.ts) says the room is an MLS
 *       group; a link without it is a link-key room. New error code
 *       `unsupported_version` for a frame of another version. Frame and name
 *       AADs carry `v2`, so v1 and v2 clients cannot open each other's frames.
 */
export const PROTOCOL_VERSION = 2 as const;

/** One entry per version: the hash of every wire schema at that version. */
export const PROTOCOL_HISTORY: ReadonlyArray<{ version: number; schemaHash: string; note: string }> = [
  { version: 1, schemaHash: 'n4X70wrb9cTcvH-q', note: 'rooms: join token, fixed-size frames, presence, acks, errors; proof-of-work challenge; signed content envelopes (ECDSA P-256/Ed25519), parts and reassembly limits, text/image messages with time-lock and read-once; /live /ready /health /metrics; POST /api/wipe (Clear-Site-Data); optional backlog (join lastSeq), /ws hardening codes and limits; /signal direct mode (join/stranger, keys, confirm, sealed rtc/data, every direct frame exactly DIRECT_FRAME_BYTES with long content split into parts, receipts (ack), cover preferences (prefs), per-peer receive budget, path reports for aggregate metrics), GET /api/ice; ghosts (bearer sessions, destroy, footprint), ghost-bound join tokens, invite tickets, public rooms (room meta: a sealed name, or a public room secret and name; join tokens carry the meta), stats; join deadline (JoinTimeout 4412), /signal limits and HTTP body limit in limits.ts; part headers carry a signed sender stream id and counter (s, c) for gap, order and replay detection; reassembly budgets per member id and per key (REASSEMBLY_MAX_SENDER_BYTES, REASSEMBLY_MAX_LIFETIME_MS); MAX_RECEIVED_IMAGE_PIXELS; invite tickets are single-use, a ghost a ticket admitted, or that left a room with invites, may rejoin without one within ROOM_REJOIN_GRACE_SECONDS, INVITE_QR_REFRESH_SECONDS; ROOM_MAX_CAPACITY 1000 (a relay may set a lower ceiling); MLS delivery service: commit (epoch, data, welcome ≤ HANDSHAKE_MAX_BYTES), committed, stale_epoch error with the room epoch, one commit per epoch numbered in the room seq with frames, joined.epoch, MAX_WS_MESSAGE_BYTES 704 KiB; /signal keeps its own SIGNAL_MAX_MESSAGE_BYTES 96 KiB' },
  { version: 2, schemaHash: 'cFbdQVATxYqsT-Mr', note: 'MLS rooms the default for private rooms: commit/committed/stale_epoch, joined.epoch, HANDSHAKE_MAX_BYTES, MAX_WS_MESSAGE_BYTES 704 KiB with /signal at SIGNAL_MAX_MESSAGE_BYTES 96 KiB; MLS join requests and application messages inside frames; the ~m link mark; error code unsupported_version (a frame of another protocol version, then close 4400); frame and name AADs say v2' },
];
