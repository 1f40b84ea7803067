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

/** Largest WebSocket message the relay accepts (a media frame in base64url plus envelope). */
export const MAX_WS_MESSAGE_BYTES = 96 * 1024;

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
/** Default and maximum members of a room. */
export const ROOM_DEFAULT_CAPACITY = 16;
export const ROOM_MAX_CAPACITY = 256;
/** Join tokens live at most this long. */
export const JOIN_TOKEN_TTL_SECONDS = 60;

/** A ghost's session lives this long after its last activity (sliding). */
export const GHOST_SESSION_TTL_SECONDS = 15 * 60;
/** Hard cap on a ghost's life, whatever its activity: 24 hours. */
export const GHOST_MAX_TTL_SECONDS = 24 * 60 * 60;
/** A room with no member ends this long after its last member left (or after creation if nobody joins). */
export const ROOM_EMPTY_GRACE_SECONDS = 120;
/** A rotating invite ticket is good for this long (the on-screen QR refreshes faster). */
export const INVITE_TICKET_TTL_SECONDS = 30;
/** A proof-of-work challenge must be solved and spent within this long. */
export const POW_CHALLENGE_TTL_SECONDS = 300;
/** Leading zero bits of a proof of work when the relay is calm ("4 hex zeros"). */
export const POW_BASE_DIFFICULTY = 16;
/** Longest opaque room metadata (an encrypted name, base64url). */
export const ROOM_META_MAX_CHARS = 512;
/** Most public rooms GET /api/rooms lists. */
export const PUBLIC_ROOMS_LIST_MAX = 50;
