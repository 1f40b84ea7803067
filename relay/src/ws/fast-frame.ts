import { base64urlLength } from '../../../protocol/src/messages/common.js';
import type { ClientFrame } from '../../../protocol/src/messages/frame.js';
import { CHAT_FRAME_BYTES, MEDIA_FRAME_BYTES } from '../../../protocol/src/limits.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';

const HEAD = `{"v":${PROTOCOL_VERSION},"type":"frame","room":"`;
const REF = '","ref":';
const DATA = ',"data":"';
const END = '"}';
const ROOM_CHARS = base64urlLength(16);
const CHAT_CHARS = base64urlLength(CHAT_FRAME_BYTES);
const MEDIA_CHARS = base64urlLength(MEDIA_FRAME_BYTES);
const MAX_REF = 2 ** 31 - 1;
/** Digits of MAX_REF: a longer ref cannot be in range. */
const MAX_REF_DIGITS = 10;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The `frame` message exactly as the PWA writes it (`JSON.stringify` of
 * `{ v, type, room, ref, data }`), read without JSON.parse or zod: a frame
 * carries a 5.5 kB string that both would copy and scan again. Anything else
 * (other key order, whitespace, escapes, bad values) returns undefined and
 * goes through the schema, so what this accepts is a subset of what
 * clientFrameSchema accepts, with the same values (fast-frame.test.ts).
 */
export function fastFrame(raw: string): ClientFrame | undefined {
  if (!raw.startsWith(HEAD)) return undefined;
  const roomEnd = HEAD.length + ROOM_CHARS;
  if (!raw.startsWith(REF, roomEnd)) return undefined;
  const room = raw.slice(HEAD.length, roomEnd);
  if (!B64URL.test(room)) return undefined;
  const refStart = roomEnd + REF.length;
  let at = refStart;
  let ref = 0;
  for (; at < raw.length && at - refStart <= MAX_REF_DIGITS; at++) {
    const d = raw.charCodeAt(at) - 48;
    if (d < 0 || d > 9) break;
    ref = ref * 10 + d;
  }
  const digits = at - refStart;
  // JSON has no leading zeros; "0" alone is fine.
  if (digits === 0 || digits > MAX_REF_DIGITS || ref > MAX_REF || (digits > 1 && raw.charCodeAt(refStart) === 48)) return undefined;
  if (!raw.startsWith(DATA, at)) return undefined;
  const dataStart = at + DATA.length;
  const dataEnd = raw.length - END.length;
  const chars = dataEnd - dataStart;
  if ((chars !== CHAT_CHARS && chars !== MEDIA_CHARS) || !raw.endsWith(END)) return undefined;
  const data = raw.slice(dataStart, dataEnd);
  if (!B64URL.test(data)) return undefined;
  return { v: PROTOCOL_VERSION, type: 'frame', room, ref, data };
}
