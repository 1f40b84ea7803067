/**
 * Direct contents longer than one frame, split into parts and joined again.
 * Every direct frame is DIRECT_FRAME_BYTES (limits.ts), so a long message is
 * several frames that look like any other, not one bigger frame. Joining is
 * bounded in parts, bytes, pending contents and time: a peer can only waste
 * its own budget.
 */
import { fromBase64url, fromUtf8, toBase64url, utf8 } from './crypto/bytes.js';
import { MAX_DIRECT_CONTENT_BYTES } from './crypto/direct.js';
import { DIRECT_PART_DATA_BYTES, directContentSchema, type DirectContent, type PartContent, type WholeDirectContent } from './direct-content.js';
import { DIRECT_MAX_CONTENT_BYTES, DIRECT_MAX_PARTS, DIRECT_REASSEMBLY_MAX_PENDING, DIRECT_REASSEMBLY_TIMEOUT_MS } from './limits.js';

/**
 * The plaintexts of the frames that carry `content`: one if its JSON fits a
 * frame, else parts named by `partId()` (16 base64url chars). Each is at most
 * MAX_DIRECT_CONTENT_BYTES. Throws RangeError past DIRECT_MAX_CONTENT_BYTES.
 */
export function encodeDirect(content: WholeDirectContent, partId: () => string): Uint8Array<ArrayBuffer>[] {
  const bytes = utf8(JSON.stringify(content));
  if (bytes.length <= MAX_DIRECT_CONTENT_BYTES) return [bytes];
  if (bytes.length > DIRECT_MAX_CONTENT_BYTES) throw new RangeError(`direct content of ${bytes.length} bytes exceeds ${DIRECT_MAX_CONTENT_BYTES}`);
  const m = partId();
  const n = Math.ceil(bytes.length / DIRECT_PART_DATA_BYTES);
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let i = 0; i < n; i++) {
    const d = toBase64url(bytes.subarray(i * DIRECT_PART_DATA_BYTES, (i + 1) * DIRECT_PART_DATA_BYTES));
    out.push(utf8(JSON.stringify({ k: 'part', m, i, n, d } satisfies PartContent)));
  }
  bytes.fill(0);
  return out;
}

/** Parses one frame's plaintext; null if it is not a direct content. */
export function decodeDirect(plain: Uint8Array): DirectContent | null {
  try {
    const parsed = directContentSchema.safeParse(JSON.parse(fromUtf8(plain)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Pending {
  n: number;
  parts: Array<Uint8Array<ArrayBuffer> | undefined>;
  got: number;
  started: number;
}

/** Why a part was not used, for counting (never shown as content). */
export type PartOutcome = { kind: 'whole'; content: WholeDirectContent } | { kind: 'waiting' } | { kind: 'dropped'; why: 'full' | 'invalid' | 'duplicate' };

/** Joins the parts of one peer's long contents. */
export class DirectReassembler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Contents partly received now. */
  get size(): number {
    return this.pending.size;
  }

  /** Takes one part; returns the joined content once its last part is in. */
  accept(part: PartContent): PartOutcome {
    const t = this.now();
    for (const [m, p] of this.pending) if (t - p.started > DIRECT_REASSEMBLY_TIMEOUT_MS) this.pending.delete(m);
    if (part.i >= part.n || part.n > DIRECT_MAX_PARTS) return { kind: 'dropped', why: 'invalid' };
    let p = this.pending.get(part.m);
    if (!p) {
      if (this.pending.size >= DIRECT_REASSEMBLY_MAX_PENDING) return { kind: 'dropped', why: 'full' };
      p = { n: part.n, parts: new Array<Uint8Array<ArrayBuffer> | undefined>(part.n), got: 0, started: t };
      this.pending.set(part.m, p);
    }
    if (p.n !== part.n) return this.drop(part.m, 'invalid');
    // A repeated part adds nothing and does not extend the content's time.
    if (p.parts[part.i]) return { kind: 'dropped', why: 'duplicate' };
    let data: Uint8Array<ArrayBuffer>;
    try {
      data = fromBase64url(part.d);
    } catch {
      return this.drop(part.m, 'invalid');
    }
    // Every part but the last is full, so the joined bytes are exactly what was split.
    const last = part.i === part.n - 1;
    if (data.length === 0 || data.length > DIRECT_PART_DATA_BYTES || (!last && data.length !== DIRECT_PART_DATA_BYTES)) return this.drop(part.m, 'invalid');
    p.parts[part.i] = data;
    p.got++;
    if (p.got < p.n) return { kind: 'waiting' };
    this.pending.delete(part.m);
    const total = p.parts.reduce((s, b) => s + (b?.length ?? 0), 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const b of p.parts) {
      if (!b) continue;
      joined.set(b, at);
      at += b.length;
      b.fill(0);
    }
    const content = decodeDirect(joined);
    joined.fill(0);
    if (!content || content.k === 'part') return { kind: 'dropped', why: 'invalid' };
    return { kind: 'whole', content };
  }

  private drop(m: string, why: 'invalid'): PartOutcome {
    this.pending.get(m)?.parts.forEach((b) => b?.fill(0));
    this.pending.delete(m);
    return { kind: 'dropped', why };
  }

  /** Forgets every partly received content. */
  clear(): void {
    for (const m of [...this.pending.keys()]) this.drop(m, 'invalid');
  }
}
