import { randomBytes, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { openDirect, sealDirect, type DirectKeys } from '../../../protocol/src/crypto/direct.js';
import type { WholeDirectContent } from '../../../protocol/src/direct-content.js';
import { decodeDirect, DirectReassembler, encodeDirect } from '../../../protocol/src/direct-parts.js';

/** Which stream a frame came by: sealed SDP/ICE on /signal, or chat (data channel or the relay fallback). */
export type Stream = 'rtc' | 'data';

/**
 * Seals contents into frames of exactly DIRECT_FRAME_BYTES (split into parts
 * when long) and opens them again, joining parts per stream. Holds the
 * session key; `clear` forgets partial contents.
 */
export class DirectCodec {
  private readonly joining: Record<Stream, DirectReassembler>;

  constructor(
    private readonly keys: Pick<DirectKeys, 'key' | 'aad'>,
    now: () => number = Date.now,
  ) {
    this.joining = { rtc: new DirectReassembler(now), data: new DirectReassembler(now) };
  }

  /** The frames that carry `content`, in order. */
  async seal(content: WholeDirectContent): Promise<Uint8Array<ArrayBuffer>[]> {
    const plains = encodeDirect(content, () => toBase64url(randomBytes(12)));
    const frames: Uint8Array<ArrayBuffer>[] = [];
    for (const p of plains) {
      frames.push(await sealDirect(this.keys, p));
      p.fill(0);
    }
    return frames;
  }

  /** A whole content once its frame (or its last part) is in; null for anything forged, malformed or still partial. */
  async open(frame: Uint8Array, stream: Stream): Promise<WholeDirectContent | null> {
    let plain: Uint8Array<ArrayBuffer>;
    try {
      plain = await openDirect(this.keys, frame);
    } catch {
      // Not sealed with this session's key (forged, tampered, another session) or of a size no sender uses.
      return null;
    }
    const content = decodeDirect(plain);
    plain.fill(0);
    if (!content) return null;
    if (content.k !== 'part') return content;
    const joined = this.joining[stream].accept(content);
    return joined.kind === 'whole' ? joined.content : null;
  }

  clear(): void {
    this.joining.rtc.clear();
    this.joining.data.clear();
  }
}
