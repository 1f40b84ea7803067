import type { Bucket } from './crypto/seal.js';
import { CHAT_FRAME_BYTES, MEDIA_FRAME_BYTES, ROOM_ID_BYTES } from './limits.js';
import { base64urlLength } from './messages/common.js';
import { PROTOCOL_VERSION } from './version.js';

/**
 * The documented size of every /ws message a chat produces. Messages are
 * compact JSON text (no whitespace; every character ASCII), so a message's
 * length is its skeleton plus the decimal digits of its numbers: content
 * never changes a size, only the counters do. protocol/README.md prints
 * these formulas and tests/integration/wire-size.test.ts checks every
 * message of a real chat against them.
 */

/** Decimal digits of a non-negative integer. */
export const digits = (n: number): number => String(Math.trunc(Math.abs(n))).length;

const BUCKET_BYTES: Record<Bucket, number> = { chat: CHAT_FRAME_BYTES, media: MEDIA_FRAME_BYTES };
const ID = 'x'.repeat(base64urlLength(ROOM_ID_BYTES));
const v = PROTOCOL_VERSION;

/** Length of a message with every number set to 0, less one character per number: the fixed part. */
function fixed(skeleton: Record<string, unknown>, numbers: number): number {
  return JSON.stringify(skeleton).length - numbers;
}

const data = (bucket: Bucket): string => 'x'.repeat(base64urlLength(BUCKET_BYTES[bucket]));

/** Fixed parts, in bytes, of each message that varies only in its numbers. */
export const WIRE_FIXED_BYTES = {
  clientFrame: {
    chat: fixed({ v, type: 'frame', room: ID, ref: 0, data: data('chat') }, 1),
    media: fixed({ v, type: 'frame', room: ID, ref: 0, data: data('media') }, 1),
  },
  serverFrame: {
    chat: fixed({ v, type: 'frame', room: ID, seq: 0, from: ID, data: data('chat') }, 1),
    media: fixed({ v, type: 'frame', room: ID, seq: 0, from: ID, data: data('media') }, 1),
  },
  sent: fixed({ v, type: 'sent', room: ID, ref: 0, seq: 0, delivered: 0 }, 3),
  presenceJoin: fixed({ v, type: 'presence', room: ID, member: ID, event: 'join' }, 0),
  presenceLeave: fixed({ v, type: 'presence', room: ID, member: ID, event: 'leave' }, 0),
  /** `joined` with no other members; each other member adds MEMBER_ENTRY_BYTES (a quoted id and a comma, less one comma overall). */
  joined: fixed({ v, type: 'joined', room: ID, member: ID, members: [], seq: 0, expiresAt: 0, epoch: 0 }, 3),
  /** `join` with an empty token and no lastSeq. */
  join: fixed({ v, type: 'join', token: '' }, 0),
  /** What `,"lastSeq":` adds to a join, before its digits. */
  joinLastSeq: ',"lastSeq":'.length,
} as const;

/** Bytes one more member id adds to a `members` array (quotes and a comma). */
export const MEMBER_ENTRY_BYTES = ID.length + 3;

/** The documented byte length of each /ws message, from the fields that may vary. */
export const wireSize = {
  clientFrame: (bucket: Bucket, ref: number): number => WIRE_FIXED_BYTES.clientFrame[bucket] + digits(ref),
  serverFrame: (bucket: Bucket, seq: number): number => WIRE_FIXED_BYTES.serverFrame[bucket] + digits(seq),
  sent: (ref: number, seq: number, delivered: number): number => WIRE_FIXED_BYTES.sent + digits(ref) + digits(seq) + digits(delivered),
  presence: (event: 'join' | 'leave'): number => (event === 'join' ? WIRE_FIXED_BYTES.presenceJoin : WIRE_FIXED_BYTES.presenceLeave),
  joined: (others: number, seq: number, expiresAt: number, epoch: number): number =>
    WIRE_FIXED_BYTES.joined + (others === 0 ? 0 : others * MEMBER_ENTRY_BYTES - 1) + digits(seq) + digits(expiresAt) + digits(epoch),
  join: (tokenLength: number, lastSeq?: number): number =>
    WIRE_FIXED_BYTES.join + tokenLength + (lastSeq === undefined ? 0 : WIRE_FIXED_BYTES.joinLastSeq + digits(lastSeq)),
};

/** Which bucket a sealed frame's base64url length belongs to, if any. */
export function bucketOf(dataLength: number): Bucket | undefined {
  if (dataLength === base64urlLength(CHAT_FRAME_BYTES)) return 'chat';
  if (dataLength === base64urlLength(MEDIA_FRAME_BYTES)) return 'media';
  return undefined;
}
