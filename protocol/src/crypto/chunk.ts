import { messageMetaSchema, partHeaderSchema, type MessageMeta, type PartHeader } from '../content.js';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_PARTS } from '../limits.js';
import { concatBytes, fromUtf8, utf8 } from './bytes.js';

/** Room for a part header's JSON (`{"m":"…16…","s":"…11…","c":9007199254740991,"i":63,"n":64,"len":2113536}` is ~90 bytes). */
export const PART_HEADER_BYTES = 128;

/** Where a message stands in its sender's sequence: the stream (epoch) and the counter, on every part. */
export interface MessageOrder {
  stream: string;
  counter: number;
}

function withLength(json: string): Uint8Array<ArrayBuffer> {
  const b = utf8(json);
  const out = new Uint8Array(2 + b.length);
  new DataView(out.buffer).setUint16(0, b.length);
  out.set(b, 2);
  return out;
}

function readLengthPrefixed(bytes: Uint8Array): { json: string; rest: Uint8Array<ArrayBuffer> } | null {
  if (bytes.length < 2) return null;
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(0);
  if (2 + n > bytes.length) return null;
  try {
    return { json: fromUtf8(bytes.subarray(2, 2 + n)), rest: bytes.slice(2 + n) };
  } catch {
    return null;
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Message bytes: u16 length ‖ meta JSON ‖ attachment. */
export function encodeMessage(meta: MessageMeta, attachment: Uint8Array = new Uint8Array(0)): Uint8Array<ArrayBuffer> {
  return concatBytes(withLength(JSON.stringify(meta)), attachment);
}

/** Parses reassembled message bytes; null if the meta does not match the schema. */
export function decodeMessage(bytes: Uint8Array): { meta: MessageMeta; attachment: Uint8Array<ArrayBuffer> } | null {
  const r = readLengthPrefixed(bytes);
  if (!r) return null;
  const meta = messageMetaSchema.safeParse(parseJson(r.json));
  if (!meta.success) return null;
  if (meta.data.k === 'image' ? r.rest.length !== meta.data.bytes : r.rest.length !== 0) return null;
  return { meta: meta.data, attachment: r.rest };
}

/** Splits message bytes into part bodies of at most `maxPartBytes` each (header included). */
export function splitMessage(messageId: string, order: MessageOrder, message: Uint8Array, maxPartBytes: number): Uint8Array<ArrayBuffer>[] {
  if (message.length > MAX_MESSAGE_BYTES) throw new RangeError(`message of ${message.length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  const room = maxPartBytes - PART_HEADER_BYTES;
  const n = Math.max(1, Math.ceil(message.length / room));
  if (n > MAX_MESSAGE_PARTS) throw new RangeError(`message needs ${n} parts; at most ${MAX_MESSAGE_PARTS} allowed`);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < n; i++) {
    const header: PartHeader = { m: messageId, s: order.stream, c: order.counter, i, n, len: message.length };
    parts.push(concatBytes(withLength(JSON.stringify(header)), message.subarray(i * room, (i + 1) * room)));
  }
  return parts;
}

/** Parses one part body into its header and data slice; null if malformed. */
export function parsePart(body: Uint8Array): { header: PartHeader; data: Uint8Array<ArrayBuffer> } | null {
  const r = readLengthPrefixed(body);
  if (!r) return null;
  const header = partHeaderSchema.safeParse(parseJson(r.json));
  if (!header.success || r.rest.length > header.data.len) return null;
  return { header: header.data, data: r.rest };
}
