import { describe, expect, it } from 'vitest';
import { MAX_DIRECT_CONTENT_BYTES } from './crypto/direct.js';
import { DIRECT_PART_DATA_BYTES, partContentSchema, type PartContent } from './direct-content.js';
import { decodeDirect, DirectReassembler, encodeDirect } from './direct-parts.js';
import { DIRECT_MAX_CONTENT_BYTES, DIRECT_MAX_PARTS, DIRECT_MAX_TEXT_CHARS, DIRECT_REASSEMBLY_MAX_PENDING, DIRECT_REASSEMBLY_TIMEOUT_MS } from './limits.js';

let ids = 0;
const partId = () => `part${String(ids++).padStart(12, '0')}`;
const text = (body: string) => ({ k: 'text' as const, id: 'abcdefgh1234', body, at: 1 });
const parts = (plains: Uint8Array[]) => plains.map((p) => partContentSchema.parse(decodeDirect(p)));

describe('direct parts', () => {
  it('keeps a short content in one frame and splits a long one into parts that each fit a frame', () => {
    expect(encodeDirect(text('hi'), partId)).toHaveLength(1);
    for (const body of ['😀'.repeat(1500), '€'.repeat(DIRECT_MAX_TEXT_CHARS), '\u0001'.repeat(DIRECT_MAX_TEXT_CHARS)]) {
      const plains = encodeDirect(text(body), partId);
      expect(plains.length).toBeGreaterThan(1);
      expect(plains.length).toBeLessThanOrEqual(DIRECT_MAX_PARTS);
      for (const p of plains) expect(p.length).toBeLessThanOrEqual(MAX_DIRECT_CONTENT_BYTES);
      const r = new DirectReassembler();
      const outcomes = parts(plains).map((p) => r.accept(p));
      expect(outcomes.at(-1)).toEqual({ kind: 'whole', content: text(body) });
      expect(r.size).toBe(0);
    }
  });

  it('fits the largest SDP the schema allows, and refuses content past DIRECT_MAX_CONTENT_BYTES', () => {
    const sdp = { k: 'description' as const, description: { type: 'offer' as const, sdp: 'x'.repeat(32_000) } };
    const plains = encodeDirect(sdp, partId);
    expect(plains.length).toBeLessThanOrEqual(DIRECT_MAX_PARTS);
    expect(() => encodeDirect(text('x'.repeat(DIRECT_MAX_CONTENT_BYTES)), partId)).toThrow(RangeError);
  });

  it('joins parts in any order, ignores a repeated part without extending its time, and drops a stale content', () => {
    let now = 0;
    const r = new DirectReassembler(() => now);
    const ps = parts(encodeDirect(text('€'.repeat(2000)), partId));
    expect(r.accept(ps[1]!)).toEqual({ kind: 'waiting' });
    now = DIRECT_REASSEMBLY_TIMEOUT_MS - 1;
    expect(r.accept(ps[1]!)).toEqual({ kind: 'dropped', why: 'duplicate' });
    now = DIRECT_REASSEMBLY_TIMEOUT_MS + 1;
    // The first part arrived more than the timeout ago: the repeat did not keep it alive.
    expect(r.accept(ps[0]!)).toEqual({ kind: 'waiting' });
    expect(r.size).toBe(1);
    const fresh = new DirectReassembler();
    const outcomes = [...ps].reverse().map((p) => fresh.accept(p).kind);
    expect(outcomes).toEqual([...ps.slice(1).map(() => 'waiting'), 'whole']);
  });

  it('holds at most DIRECT_REASSEMBLY_MAX_PENDING contents, and refuses parts that disagree or are short', () => {
    const r = new DirectReassembler();
    for (let i = 0; i < DIRECT_REASSEMBLY_MAX_PENDING; i++) expect(r.accept(parts(encodeDirect(text('€'.repeat(2000)), partId))[0]!).kind).toBe('waiting');
    const extra = parts(encodeDirect(text('€'.repeat(2000)), partId))[0]!;
    expect(r.accept(extra)).toEqual({ kind: 'dropped', why: 'full' });
    r.clear();
    const [a, b] = parts(encodeDirect(text('€'.repeat(2000)), partId)) as [PartContent, PartContent];
    expect(r.accept(a).kind).toBe('waiting');
    expect(r.accept({ ...b, n: b.n + 1 })).toEqual({ kind: 'dropped', why: 'invalid' });
    expect(r.size).toBe(0);
    const short = { ...a, d: a.d.slice(0, 40) };
    expect(r.accept(short)).toEqual({ kind: 'dropped', why: 'invalid' });
    expect(a.d.length).toBe((DIRECT_PART_DATA_BYTES * 4) / 3);
  });

  it('refuses parts that join into another part', () => {
    const inner = { k: 'part' as const, m: 'x'.repeat(16), i: 0, n: 2, d: 'AAAA' };
    const bytes = new TextEncoder().encode(JSON.stringify(inner).padEnd(DIRECT_PART_DATA_BYTES + 10, ' '));
    const toB64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const r = new DirectReassembler();
    r.accept({ k: 'part', m: 'y'.repeat(16), i: 0, n: 2, d: toB64(bytes.subarray(0, DIRECT_PART_DATA_BYTES)) });
    expect(r.accept({ k: 'part', m: 'y'.repeat(16), i: 1, n: 2, d: toB64(bytes.subarray(DIRECT_PART_DATA_BYTES)) })).toEqual({ kind: 'dropped', why: 'invalid' });
  });
});
