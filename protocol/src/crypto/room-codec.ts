import type { MessageMeta } from '../content.js';
import { randomBytes, toBase64url } from './bytes.js';
import { decodeMessage, encodeMessage, parsePart, splitMessage, type MessageOrder } from './chunk.js';
import { envelopeOverhead, sealEnvelope } from './envelope.js';
import { MemberDirectory, type Signer } from './members.js';
import { Reassembler, type ReassemblerOptions, type RejectReason } from './reassembly.js';
import { maxContentBytes, open, seal, type Bucket } from './seal.js';
import type { SigningIdentity } from './sign.js';
import { SenderStreams, streamKey, without, type Ranges } from './streams.js';

/** A fresh message id (96 random bits, base64url: 16 characters). */
export const newMessageId = (): string => toBase64url(randomBytes(12));

/** A fresh stream id (64 random bits, base64url: 11 characters). */
export const newStreamId = (): string => toBase64url(randomBytes(8));

/** Numbers one sender's messages: a stream id drawn once (the epoch of this sending session) and a counter from 1. */
export class SendCounter {
  readonly stream = newStreamId();
  private last = 0;

  next(): MessageOrder {
    return { stream: this.stream, counter: ++this.last };
  }
}

export interface OutgoingMessage {
  messageId: string;
  meta: MessageMeta;
  attachment?: Uint8Array;
  bucket: Bucket;
  /** Its place in our sequence; a resend after a reconnect keeps it, so receivers see one message. */
  order: MessageOrder;
}

/** Largest part body that still fits a bucket once signed and sealed. */
export const partBytesFor = (bucket: Bucket, id: SigningIdentity): number => maxContentBytes(bucket) - envelopeOverhead(id);

/** Encodes, splits, signs (per part, for this member id) and seals one message: one frame per part, in order. */
export async function sealMessage(
  key: CryptoKey,
  roomId: string,
  memberId: string,
  id: SigningIdentity,
  msg: OutgoingMessage,
): Promise<Uint8Array<ArrayBuffer>[]> {
  const bytes = encodeMessage(msg.meta, msg.attachment);
  const parts = splitMessage(msg.messageId, msg.order, bytes, partBytesFor(msg.bucket, id));
  bytes.fill(0);
  const frames: Uint8Array<ArrayBuffer>[] = [];
  for (const body of parts) {
    const env = await sealEnvelope(id, roomId, memberId, body);
    frames.push(await seal(key, roomId, env, msg.bucket));
    env.fill(0);
    body.fill(0);
  }
  return frames;
}

/** A message's place in its sender's sequence, as a receiver tracks it. */
export interface ReceivedOrder {
  /** streamKey(fingerprint, stream id). */
  stream: string;
  counter: number;
}

export type InboxResult =
  | { status: 'message'; signer: Signer; messageId: string; meta: MessageMeta; attachment: Uint8Array<ArrayBuffer>; order: ReceivedOrder; evicted: string[] }
  | { status: 'pending'; evicted: string[] }
  /** Not for us or not worth a word: not sealed with this room's key, malformed, a resent copy after a reconnect. */
  | { status: 'dropped'; reason: string }
  /** Sealed with the room key but the signature or key binding is wrong: someone in the room is misbehaving. */
  | { status: 'forged'; memberId: string; reason: 'bad-signature' | 'key-mismatch' }
  /** A correctly signed copy of what was already delivered under the same member id: the relay (or whoever recorded the room) played it again. */
  | { status: 'replay'; signer: Signer }
  /** A member exceeded its own reassembly budget; only its messages are lost. */
  | { status: 'refused'; signer: Signer; reason: RejectReason };

/**
 * The receiving side of a room: decrypts a frame, verifies its signature
 * against the member-id binding, drops what its sender's sequence says was
 * already delivered, and reassembles parts into messages under per-sender
 * budgets (crypto/reassembly.ts).
 */
export class RoomInbox {
  readonly members: MemberDirectory;
  private readonly parts: Reassembler;
  private readonly streams = new SenderStreams();

  constructor(
    private readonly key: CryptoKey,
    private readonly roomId: string,
    opts: ReassemblerOptions = {},
  ) {
    this.members = new MemberDirectory(roomId);
    this.parts = new Reassembler(opts);
  }

  /** Handles one sealed frame the relay says came from member `from`. */
  async receive(from: string, frame: Uint8Array<ArrayBuffer>): Promise<InboxResult> {
    let plain: Uint8Array<ArrayBuffer>;
    try {
      plain = await open(this.key, this.roomId, frame);
    } catch {
      return { status: 'dropped', reason: 'not sealed for this room' };
    }
    const v = await this.members.verify(from, plain);
    plain.fill(0);
    if (!v.ok) {
      return v.reason === 'malformed' ? { status: 'dropped', reason: 'malformed envelope' } : { status: 'forged', memberId: from, reason: v.reason };
    }
    return this.receivePart(from, v.signer, v.body);
  }

  /**
   * Handles one part whose sender is already authenticated (by the envelope
   * signature here, or by MLS in an MLS room): the sender's sequence drops
   * what was delivered, and the part goes to reassembly under its budget.
   */
  receivePart(from: string, signer: Signer, body: Uint8Array<ArrayBuffer>): InboxResult {
    const part = parsePart(body);
    if (!part) return { status: 'dropped', reason: 'malformed part' };
    const { m, s, c } = part.header;
    const stream = streamKey(signer.fingerprint, s);
    // Checked before reassembly, so replayed parts cannot spend their sender's budget.
    const known = this.streams.check(stream, c, from, m);
    if (known === 'replay') return { status: 'replay', signer: signer };
    if (known === 'resend') return { status: 'dropped', reason: 'resent copy' };
    const r = this.parts.add({ member: from, key: signer.fingerprint }, part.header, part.data);
    switch (r.status) {
      case 'pending':
        return { status: 'pending', evicted: r.evicted.map((e) => e.member) };
      case 'duplicate':
        // An honest sender never sends one part twice under one member id.
        return { status: 'replay', signer: signer };
      case 'rejected':
        return { status: 'refused', signer: signer, reason: r.reason };
      case 'complete': {
        const msg = decodeMessage(r.message);
        if (!msg) return { status: 'dropped', reason: 'malformed message' };
        const d = this.streams.deliver(stream, c, from, m);
        if (d === 'replay') return { status: 'replay', signer: signer };
        if (d === 'resend') return { status: 'dropped', reason: 'resent copy' };
        return { status: 'message', signer: signer, messageId: m, ...msg, order: { stream, counter: c }, evicted: r.evicted.map((e) => e.member) };
      }
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  /** Per stream (or for one): counters between the first and last delivered that have neither arrived nor are arriving now. */
  missing(only?: string): Map<string, Ranges> {
    const arriving = new Map<string, number[]>();
    for (const p of this.parts.inProgress()) {
      const k = streamKey(p.key, p.stream);
      arriving.set(k, [...(arriving.get(k) ?? []), p.counter]);
    }
    const out = new Map<string, Ranges>();
    for (const k of only === undefined ? this.streams.keys() : [only]) {
      const r = without(this.streams.missing(k), arriving.get(k) ?? []);
      if (r.length) out.set(k, r);
    }
    return out;
  }

  /** Drops unfinished messages past their timeout (call from a timer). */
  sweep(): number {
    return this.parts.sweep();
  }

  clear(): void {
    this.parts.clear();
    this.members.clear();
    this.streams.clear();
  }
}
