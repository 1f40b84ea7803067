import { messageMetaSchema, partHeaderSchema, type MessageMeta, type PartHeader } from '../content.js';
import {
  MAX_MESSAGE_BYTES,
  MAX_MESSAGE_PARTS,
  REASSEMBLY_MAX_PENDING_BYTES,
  REASSEMBLY_MAX_PENDING_PER_SENDER,
  REASSEMBLY_TIMEOUT_MS,
} from '../limits.js';
import { concatBytes, fromUtf8, utf8 } from './bytes.js';

/** Room for a part header's JSON (`{"m":"…16…","i":63,"n":64,"len":2113536}` is ~50 bytes). */
export const PART_HEADER_BYTES = 96;

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
export function splitMessage(messageId: string, message: Uint8Array, maxPartBytes: number): Uint8Array<ArrayBuffer>[] {
  if (message.length > MAX_MESSAGE_BYTES) throw new RangeError(`message of ${message.length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  const room = maxPartBytes - PART_HEADER_BYTES;
  const n = Math.max(1, Math.ceil(message.length / room));
  if (n > MAX_MESSAGE_PARTS) throw new RangeError(`message needs ${n} parts; at most ${MAX_MESSAGE_PARTS} allowed`);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < n; i++) {
    const header: PartHeader = { m: messageId, i, n, len: message.length };
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

export type AddResult =
  | { status: 'complete'; message: Uint8Array<ArrayBuffer> }
  | { status: 'pending' }
  | { status: 'duplicate' }
  | { status: 'rejected'; reason: 'inconsistent' | 'too-many-pending' | 'over-budget' | 'too-large' };

interface Pending {
  n: number;
  len: number;
  parts: (Uint8Array<ArrayBuffer> | undefined)[];
  received: number;
  bytes: number;
  lastAt: number;
}

export interface ReassemblerOptions {
  now?: () => number;
  timeoutMs?: number;
  maxPendingPerSender?: number;
  maxPendingBytes?: number;
}

/**
 * Joins parts into messages with bounded memory: each sender may hold only a
 * few unfinished messages, all of them together reserve at most
 * REASSEMBLY_MAX_PENDING_BYTES (declared length, reserved on the first part),
 * and an unfinished message is dropped after REASSEMBLY_TIMEOUT_MS of silence.
 * A hostile member can therefore waste a bounded amount of memory, and only
 * until the timeout.
 */
export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private reserved = 0;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxPerSender: number;
  private readonly maxBytes: number;

  constructor(opts: ReassemblerOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? REASSEMBLY_TIMEOUT_MS;
    this.maxPerSender = opts.maxPendingPerSender ?? REASSEMBLY_MAX_PENDING_PER_SENDER;
    this.maxBytes = opts.maxPendingBytes ?? REASSEMBLY_MAX_PENDING_BYTES;
  }

  /** Bytes currently reserved by unfinished messages. */
  get reservedBytes(): number {
    return this.reserved;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Adds one verified part from `sender` (the relay member id it was bound to). */
  add(sender: string, header: PartHeader, data: Uint8Array<ArrayBuffer>): AddResult {
    this.sweep();
    if (header.n === 1) {
      return data.length === header.len ? { status: 'complete', message: data } : { status: 'rejected', reason: 'inconsistent' };
    }
    const key = `${sender}\u0000${header.m}`;
    let p = this.pending.get(key);
    if (!p) {
      if (header.len > MAX_MESSAGE_BYTES) return { status: 'rejected', reason: 'too-large' };
      const mine = [...this.pending.keys()].filter((k) => k.startsWith(`${sender}\u0000`)).length;
      if (mine >= this.maxPerSender) return { status: 'rejected', reason: 'too-many-pending' };
      if (this.reserved + header.len > this.maxBytes) return { status: 'rejected', reason: 'over-budget' };
      p = { n: header.n, len: header.len, parts: new Array<Uint8Array<ArrayBuffer> | undefined>(header.n), received: 0, bytes: 0, lastAt: this.now() };
      this.pending.set(key, p);
      this.reserved += header.len;
    }
    if (p.n !== header.n || p.len !== header.len || p.bytes + data.length > p.len) {
      this.drop(key);
      return { status: 'rejected', reason: 'inconsistent' };
    }
    if (p.parts[header.i]) return { status: 'duplicate' };
    p.parts[header.i] = data;
    p.received++;
    p.bytes += data.length;
    p.lastAt = this.now();
    if (p.received < p.n) return { status: 'pending' };
    const message = p.bytes === p.len ? concatBytes(...(p.parts as Uint8Array[])) : null;
    this.drop(key);
    return message ? { status: 'complete', message } : { status: 'rejected', reason: 'inconsistent' };
  }

  /** Drops unfinished messages that have been silent past the timeout; returns how many. */
  sweep(): number {
    const limit = this.now() - this.timeoutMs;
    let n = 0;
    for (const [key, p] of this.pending) {
      if (p.lastAt < limit) {
        this.drop(key);
        n++;
      }
    }
    return n;
  }

  private drop(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    for (const part of p.parts) part?.fill(0);
    this.reserved -= p.len;
    this.pending.delete(key);
  }

  /** Forgets everything (wipe). */
  clear(): void {
    for (const key of [...this.pending.keys()]) this.drop(key);
  }
}
