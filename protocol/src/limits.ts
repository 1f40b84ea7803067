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

/** Bytes of the direct-mode link secret D (256 bits). */
export const DIRECT_SECRET_BYTES = 32;
/** Every direct-mode frame (data channel or relay fallback) is a multiple of this many bytes. */
export const DIRECT_FRAME_UNIT_BYTES = 4096;
/** Largest direct-mode frame: 16 units. */
export const DIRECT_MAX_FRAME_BYTES = 16 * DIRECT_FRAME_UNIT_BYTES;
/** A direct room on /signal holds this many peers at most. */
export const SIGNAL_ROOM_PEERS = 2;
/** Default life of a direct room or a stranger's wait on /signal (in memory only). */
export const SIGNAL_DEFAULT_TTL_SECONDS = 15 * 60;
