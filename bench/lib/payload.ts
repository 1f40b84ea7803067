import { base64urlLength } from '../../protocol/src/messages/common.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** Hex digits of the stamp at the start of every payload (a u64 of process.hrtime.bigint()). */
const STAMP_CHARS = 16;
/** A sealed chat frame in base64url: what every target carries, so the bytes on the wire match. */
export const PAYLOAD_CHARS = base64urlLength(CHAT_FRAME_BYTES);
const FILLER = 'A'.repeat(PAYLOAD_CHARS - STAMP_CHARS);
const DATA_MARK = Buffer.from('"data":"');

/**
 * A sealed-size frame payload whose first 16 characters are the send time.
 * Hex is inside the base64url alphabet, so the relay's schema accepts it; the
 * bench never decrypts (the relay never could), it only reads the stamp back.
 */
export function stampedPayload(now: bigint = process.hrtime.bigint()): string {
  return now.toString(16).padStart(STAMP_CHARS, '0') + FILLER;
}

/** Reads the stamp back from a received message (`..."data":"<stamp>...`), or null if it has none. */
export function readStamp(msg: Buffer | string): bigint | null {
  const buf = typeof msg === 'string' ? Buffer.from(msg.slice(0, 512)) : msg;
  const at = buf.indexOf(DATA_MARK);
  if (at < 0 || at + DATA_MARK.length + STAMP_CHARS > buf.length) return null;
  const start = at + DATA_MARK.length;
  const hex = buf.toString('latin1', start, start + STAMP_CHARS);
  return /^[0-9a-f]{16}$/.test(hex) ? BigInt('0x' + hex) : null;
}

/** The envelope every target carries: Ghostwire's own frame message shape, so sizes match byte for byte. */
export function frameEnvelope(room: string, ref: number, data: string): string {
  return `{"v":${PROTOCOL_VERSION},"type":"frame","room":"${room}","ref":${ref},"data":"${data}"}`;
}
