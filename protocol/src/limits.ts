/**
 * Sizes and lifetimes that both sides must agree on. Comments elsewhere quote
 * these by name.
 */

/** Bytes of a sealed chat frame: 12-byte IV + padded plaintext + 16-byte GCM tag. */
export const CHAT_FRAME_BYTES = 4096;
/** Bytes of a sealed media chunk (the second, larger bucket). */
export const MEDIA_FRAME_BYTES = 65536;
/** AES-GCM IV length (NIST SP 800-38D recommends 96 bits). */
export const IV_BYTES = 12;
/** AES-GCM tag length. */
export const TAG_BYTES = 16;
/** Length prefix of padded plaintext (u32, big-endian). */
export const PAD_HEADER_BYTES = 4;

/**
 * Largest MLS handshake blob (RFC 9420) a `commit` may carry in `data` or in
 * `welcome`, decoded: 256 KiB holds a Welcome with the ratchet tree of about
 * ROOM_MAX_CAPACITY members. Opaque to the relay, and not padded like frames.
 */
export const HANDSHAKE_MAX_BYTES = 256 * 1024;

/**
 * Largest WebSocket message the relay accepts: a `commit` whose `data` and
 * `welcome` are both HANDSHAKE_MAX_BYTES in base64url (2 × 349,526 chars), plus
 * its envelope. Frames keep their fixed sizes; this only bounds one message.
 */
export const MAX_WS_MESSAGE_BYTES = 704 * 1024;

/**
 * Largest message a /signal socket accepts: signaling (keys, sealed SDP and
 * ICE, one-size direct frames) is small, so /signal keeps the bound /ws had
 * before MLS commits needed more. Past it: a too_large error and close 4413.
 */
export const SIGNAL_MAX_MESSAGE_BYTES = 96 * 1024;

/** Bytes of the room secret S (256 bits). */
export const ROOM_SECRET_BYTES = 32;
/** Bytes of a room id (128 bits, derived from S). */
export const ROOM_ID_BYTES = 16;
/** Bytes of the access key (derived from S). */
export const ACCESS_KEY_BYTES = 32;

/** Hard cap on any room's life: 24 hours. */
export const ROOM_MAX_TTL_SECONDS = 24 * 60 * 60;
/** Default room life. */
export const ROOM_DEFAULT_TTL_SECONDS = 2 * 60 * 60;
/** Members of a room when its creator does not say. */
export const ROOM_DEFAULT_CAPACITY = 16;
/** Most members a room may be created for on any relay (an operator may set a lower ceiling: ROOM_MAX_CAPACITY in the relay's config). */
export const ROOM_MAX_CAPACITY = 1000;
/** Join tokens live at most this long. */
export const JOIN_TOKEN_TTL_SECONDS = 60;

/** Longest text message, in characters; longer text is refused before sending. Spans several chat frames. */
export const MAX_TEXT_CHARS = 16_000;
/** Largest image after metadata stripping and re-encoding (2 MiB): about 33 media frames. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Largest image file the app will try to read before re-encoding (20 MiB). */
export const MAX_IMAGE_INPUT_BYTES = 20 * 1024 * 1024;
/** A received image whose header declares more pixels than this (4096 × 4096) is refused before any decode. */
export const MAX_RECEIVED_IMAGE_PIXELS = 4096 * 4096;
/** Images are scaled down so neither side exceeds this many pixels before re-encoding. */
export const MAX_IMAGE_DIMENSION = 2048;
/** Most parts one message may be split into (bounds a reassembly buffer's bookkeeping). */
export const MAX_MESSAGE_PARTS = 64;
/** Largest reassembled message (an image plus its metadata). */
export const MAX_MESSAGE_BYTES = MAX_IMAGE_BYTES + 16 * 1024;
/** A partly received message is dropped if no part with new data arrives within this time (a part that adds nothing does not extend it). */
export const REASSEMBLY_TIMEOUT_MS = 60_000;
/** A partly received message is dropped this long after its first part, however its parts trickle in. */
export const REASSEMBLY_MAX_LIFETIME_MS = 5 * 60_000;
/** Partly received messages one sender (one member id, and one signing key) may have open at once. */
export const REASSEMBLY_MAX_PENDING_PER_SENDER = 2;
/** Bytes of partly received messages one sender (one member id, and one signing key) may hold: counted as they arrive, not as declared. */
export const REASSEMBLY_MAX_SENDER_BYTES = 2 * MAX_MESSAGE_BYTES;
/** Bytes all partly received messages of a room may hold together; past it, the sender holding the most loses its oldest unfinished message first. */
export const REASSEMBLY_MAX_PENDING_BYTES = 8 * MAX_MESSAGE_BYTES;
/** How long a revealed read-once message stays on screen before it is removed. */
export const READ_ONCE_VIEW_MS = 15_000;
/** Latest release time a time-locked message may ask for (never past a room's life). */
export const MAX_TIME_LOCK_MS = ROOM_MAX_TTL_SECONDS * 1000;
/** Most frames a room may keep in its optional encrypted backlog (off, 0, by default). */
export const ROOM_MAX_BACKLOG = 100;
/** Per-socket token bucket: tokens refilled per second. */
export const WS_RATE_PER_SECOND = 50;
/** Per-socket token bucket: capacity (the largest burst). */
export const WS_RATE_BURST = 200;
/** A message costs one token plus one per this many bytes of its length, so a media chunk costs more than a chat frame. */
export const WS_RATE_COST_BYTES = 32 * 1024;
/** Sockets one ghost may hold open on one relay instance. */
export const MAX_SOCKETS_PER_GHOST = 8;
/** The relay pings every socket this often; one that has not answered the previous ping by the next is closed. */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** A socket whose unsent bytes pass this is dropped, so it cannot slow its rooms or grow the relay's memory. */
export const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;
/** Header lines an upgrade request to /ws or /signal may carry; more is answered 431 (browsers send about 15). */
export const MAX_HANDSHAKE_HEADERS = 64;
/** A socket on /ws or /signal that has joined nothing this long after opening (or after leaving its last room) is closed with JoinTimeout. */
export const JOIN_DEADLINE_MS = 10_000;
/** A /signal peer whose unsent bytes pass this is dropped as a slow consumer: signaling is small, and fallback frames must not pile up. */
export const SIGNAL_SLOW_CONSUMER_BYTES = 1024 * 1024;
/** Per-/signal-socket token bucket: messages refilled per second (fallback chat plus cover traffic fits well under). */
export const SIGNAL_RATE_PER_SECOND = 20;
/** Per-/signal-socket token bucket: capacity (the largest burst). Each /signal message costs one token, whatever its size. */
export const SIGNAL_RATE_BURST = 80;
/** Strangers that may wait on one relay instance at once; more are told to come back later. */
export const SIGNAL_MAX_WAITING = 10_000;
/** Largest HTTP request body the relay reads, in bytes (every JSON body of the API is far smaller); more is answered 413 before it is read. */
export const MAX_HTTP_BODY_BYTES = 16 * 1024;
/** After the relay closes a socket, it waits this long for the close handshake, then drops the TCP connection. */
export const CLOSE_GRACE_MS = 5_000;
/** Bytes of the direct-mode link secret D (256 bits). */
export const DIRECT_SECRET_BYTES = 32;
/**
 * Every direct-mode frame (data channel, relay fallback, sealed SDP/ICE) is
 * exactly this many bytes, cover and messages alike, so an observer cannot
 * tell a long message from a short one or from noise; longer content is split
 * into parts (protocol/src/direct-parts.ts).
 */
export const DIRECT_FRAME_BYTES = 4096;
/** Longest direct text message, in UTF-16 code units (what the composer counts). */
export const DIRECT_MAX_TEXT_CHARS = 3000;
/** Largest direct content before splitting (an SDP of up to 32,000 characters, as JSON). */
export const DIRECT_MAX_CONTENT_BYTES = 40 * 1024;
/** Most parts one direct content may be split into (DIRECT_MAX_CONTENT_BYTES in parts of under 4 KiB). */
export const DIRECT_MAX_PARTS = 16;
/** Partly received direct contents held at once; a new one past this is dropped (it can only be the peer's own). */
export const DIRECT_REASSEMBLY_MAX_PENDING = 4;
/** A partly received direct content is dropped this long after its first part (later parts do not extend it). */
export const DIRECT_REASSEMBLY_TIMEOUT_MS = 30_000;
/** Per-peer receive budget: frame bytes per second refilled (16 frames/s: far above typing plus cover). */
export const DIRECT_PEER_BYTES_PER_SECOND = 16 * DIRECT_FRAME_BYTES;
/** Per-peer receive budget: largest burst of frame bytes (64 frames: a few long pasted messages at once). Frames past it are dropped unopened. */
export const DIRECT_PEER_BYTES_BURST = 64 * DIRECT_FRAME_BYTES;
/** Per-peer receive budget: messages per second refilled (no person types faster). */
export const DIRECT_PEER_MESSAGES_PER_SECOND = 4;
/** Per-peer receive budget: largest burst of messages shown; past it the page says the peer is flooding and shows no more until the budget refills. */
export const DIRECT_PEER_MESSAGE_BURST = 30;
/** A direct room on /signal holds this many peers at most. */
export const SIGNAL_ROOM_PEERS = 2;
/** Default life of a direct room or a stranger's wait on /signal (in memory only). */
export const SIGNAL_DEFAULT_TTL_SECONDS = 15 * 60;
/** A ghost's session lives this long after its last activity (sliding). */
export const GHOST_SESSION_TTL_SECONDS = 15 * 60;
/** Hard cap on a ghost's life, whatever its activity: 24 hours. */
export const GHOST_MAX_TTL_SECONDS = 24 * 60 * 60;
/** A room with no member ends this long after its last member left (or after creation if nobody joins). */
export const ROOM_EMPTY_GRACE_SECONDS = 120;
/** A rotating invite ticket is good for this long (the on-screen QR refreshes faster). */
export const INVITE_TICKET_TTL_SECONDS = 30;
/** The app mints a new ticket for its on-screen invite QR this often, so the one showing is always good for a few seconds more. */
export const INVITE_QR_REFRESH_SECONDS = 25;
/**
 * A ghost that left a room needing invite tickets (a dropped socket, a
 * reconnect), or that a ticket admitted, may get a join token again without a
 * ticket for this long after; a current member always may. The relay keeps
 * only the room id, the ghost id and when this runs out, and for no longer
 * than this.
 */
export const ROOM_REJOIN_GRACE_SECONDS = 120;
/** A proof-of-work challenge must be solved and spent within this long. */
export const POW_CHALLENGE_TTL_SECONDS = 300;
/** Leading zero bits of a proof of work when the relay is calm ("4 hex zeros"). */
export const POW_BASE_DIFFICULTY = 16;
/** Longest opaque room metadata (an encrypted name, base64url). */
export const ROOM_META_MAX_CHARS = 512;
/** Longest room name, in UTF-8 bytes (crypto/room-meta.ts seals it padded, so its length does not show). */
export const ROOM_NAME_MAX_BYTES = 60;
/** Most public rooms GET /api/rooms lists. */
export const PUBLIC_ROOMS_LIST_MAX = 50;
