import type { MessageMeta } from '../content.js';
import { randomBytes, toBase64url } from './bytes.js';
import { decodeMessage, encodeMessage, parsePart, Reassembler, splitMessage, type ReassemblerOptions } from './chunk.js';
import { envelopeOverhead, sealEnvelope } from './envelope.js';
import { MemberDirectory, type Signer } from './members.js';
import { maxContentBytes, open, seal, type Bucket } from './seal.js';
import type { SigningIdentity } from './sign.js';

/** A fresh message id (96 random bits, base64url: 16 characters). */
export const newMessageId = (): string => toBase64url(randomBytes(12));

export interface OutgoingMessage {
  messageId: string;
  meta: MessageMeta;
  attachment?: Uint8Array;
  bucket: Bucket;
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
  const parts = splitMessage(msg.messageId, bytes, partBytesFor(msg.bucket, id));
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

export type InboxResult =
  | { status: 'message'; signer: Signer; messageId: string; meta: MessageMeta; attachment: Uint8Array<ArrayBuffer> }
  | { status: 'pending' }
  /** Not for us or not worth a word: not sealed with this room's key, malformed, a duplicate part. */
  | { status: 'dropped'; reason: string }
  /** Sealed with the room key but the signature or key binding is wrong: someone in the room is misbehaving. */
  | { status: 'forged'; memberId: string; reason: 'bad-signature' | 'key-mismatch' }
  /** A member exceeded the reassembly bounds. */
  | { status: 'refused'; memberId: string; reason: string };

/**
 * The receiving side of a room: decrypts a frame, verifies its signature
 * against the member-id binding, and reassembles parts into messages.
 */
export class RoomInbox {
  readonly members: MemberDirectory;
  private readonly parts: Reassembler;

  constructor(
    private readonly key: CryptoKey,
    private readonly roomId: string,
    opts: ReassemblerOptions = {},
  ) {
    this.members = new MemberDirectory(roomId);
    this.parts = new Reassembler(opts);
  }

  /** Handles one sealed frame the relay says came from member `from`. */
  async receive(from: string, frame: Uint8Array): Promise<InboxResult> {
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
    const part = parsePart(v.body);
    if (!part) return { status: 'dropped', reason: 'malformed part' };
    const r = this.parts.add(from, part.header, part.data);
    switch (r.status) {
      case 'pending':
        return { status: 'pending' };
      case 'duplicate':
        return { status: 'dropped', reason: 'duplicate part' };
      case 'rejected':
        return { status: 'refused', memberId: from, reason: r.reason };
      case 'complete': {
        const msg = decodeMessage(r.message);
        if (!msg) return { status: 'dropped', reason: 'malformed message' };
        return { status: 'message', signer: v.signer, messageId: part.header.m, ...msg };
      }
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  /** Drops unfinished messages past their timeout (call from a timer). */
  sweep(): number {
    return this.parts.sweep();
  }

  clear(): void {
    this.parts.clear();
    this.members.clear();
  }
}
