import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_PARTS } from '../limits.js';
import { decodeMessage, encodeMessage, parsePart, Reassembler, splitMessage } from './chunk.js';

const ID = 'BBBBBBBBBBBBBBBB';

function parts(body: string, partBytes = 300, id = ID) {
  return splitMessage(id, encodeMessage({ k: 'text', body, at: 5 }), partBytes).map((p) => parsePart(p)!);
}

describe('Reassembler', () => {
  it('keeps senders apart: the same message id from two members are two messages', () => {
    const r = new Reassembler();
    const ps = parts('x'.repeat(1000));
    expect(ps.length).toBeGreaterThan(2);
    for (const p of ps.slice(0, -1)) expect(r.add('alice', p.header, p.data).status).toBe('pending');
    // Mallory cannot complete Alice's message with her own last part.
    expect(r.add('mallory', ps.at(-1)!.header, ps.at(-1)!.data).status).toBe('pending');
    expect(r.add('alice', ps.at(-1)!.header, ps.at(-1)!.data).status).toBe('complete');
  });

  it('ignores a duplicate part and rejects parts that disagree about the message', () => {
    const r = new Reassembler();
    const [p0, p1] = parts('y'.repeat(800));
    expect(r.add('a', p0!.header, p0!.data).status).toBe('pending');
    expect(r.add('a', p0!.header, p0!.data).status).toBe('duplicate');
    expect(r.add('a', { ...p1!.header, n: p1!.header.n + 1 }, p1!.data)).toEqual({ status: 'rejected', reason: 'inconsistent' });
    expect(r.reservedBytes).toBe(0);
  });

  it('bounds unfinished messages per sender and in total, and forgets them after the timeout', () => {
    let now = 0;
    const r = new Reassembler({ now: () => now, timeoutMs: 1000, maxPendingPerSender: 2, maxPendingBytes: 5000 });
    const first = (id: string, len = 1000) => ({ header: { m: id, i: 0, n: 4, len }, data: new Uint8Array(10) });
    const a = first('AAAAAAAAAAAAAAA1');
    const b = first('AAAAAAAAAAAAAAA2');
    const c = first('AAAAAAAAAAAAAAA3');
    expect(r.add('hostile', a.header, a.data).status).toBe('pending');
    expect(r.add('hostile', b.header, b.data).status).toBe('pending');
    expect(r.add('hostile', c.header, c.data)).toEqual({ status: 'rejected', reason: 'too-many-pending' });
    const big = first('AAAAAAAAAAAAAAA4', 4000);
    expect(r.add('other', big.header, big.data)).toEqual({ status: 'rejected', reason: 'over-budget' });
    expect(r.reservedBytes).toBe(2000);
    now = 1001;
    expect(r.sweep()).toBe(2);
    expect(r.reservedBytes).toBe(0);
    expect(r.add('hostile', c.header, c.data).status).toBe('pending');
  });

  it('rejects a part whose data overflows the declared length', () => {
    const r = new Reassembler();
    expect(r.add('a', { m: ID, i: 0, n: 2, len: 10 }, new Uint8Array(11)).status).toBe('rejected');
    expect(r.add('a', { m: ID, i: 0, n: 1, len: 10 }, new Uint8Array(9)).status).toBe('rejected');
  });
});

describe('message encoding', () => {
  it('refuses messages past the limits', () => {
    expect(() => splitMessage(ID, new Uint8Array(MAX_MESSAGE_BYTES + 1), 60_000)).toThrow(RangeError);
    expect(() => splitMessage(ID, new Uint8Array(MAX_MESSAGE_PARTS * 10), 100)).toThrow(/parts/);
  });

  it('rejects meta that does not match the schema or an attachment of the wrong size', () => {
    expect(decodeMessage(encodeMessage({ k: 'text', body: 'ok', at: 1 }, new Uint8Array(3)))).toBeNull();
    const img = { k: 'image' as const, mime: 'image/jpeg' as const, bytes: 4, w: 1, h: 1, at: 1 };
    expect(decodeMessage(encodeMessage(img, new Uint8Array(4)))?.attachment).toHaveLength(4);
    expect(decodeMessage(encodeMessage(img, new Uint8Array(5)))).toBeNull();
    expect(parsePart(new Uint8Array([0, 200, 1, 2]))).toBeNull();
  });
});
