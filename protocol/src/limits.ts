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

/** Longest text message, in characters; longer text is refused before sending. Spans several chat frames. */
export const MAX_TEXT_CHARS = 16_000;
/** Largest image after metadata stripping and re-encoding (2 MiB): about 33 media frames. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
/** Largest image file the app will try to read before re-encoding (20 MiB). */
export const MAX_IMAGE_INPUT_BYTES = 20 * 1024 * 1024;
/** Images are scaled down so neither side exceeds this many pixels before re-encoding. */
export const MAX_IMAGE_DIMENSION = 2048;
/** Most parts one message may be split into (bounds a reassembly buffer's bookkeeping). */
export const MAX_MESSAGE_PARTS = 64;
/** Largest reassembled message (an image plus its metadata). */
export const MAX_MESSAGE_BYTES = MAX_IMAGE_BYTES + 16 * 1024;
/** A partly received message is dropped if its next part does not arrive within this time. */
export const REASSEMBLY_TIMEOUT_MS = 60_000;
/** Partly received messages one sender may have open at once. */
export const REASSEMBLY_MAX_PENDING_PER_SENDER = 2;
/** Bytes all partly received messages of a room may reserve together (bounds what hostile members can pin). */
export const REASSEMBLY_MAX_PENDING_BYTES = 3 * MAX_MESSAGE_BYTES;
/** How long a revealed read-once message stays on screen before it is removed. */
export const READ_ONCE_VIEW_MS = 15_000;
/** Latest release time a time-locked message may ask for (never past a room's life). */
export const MAX_TIME_LOCK_MS = ROOM_MAX_TTL_SECONDS * 1000;
