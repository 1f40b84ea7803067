import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../limits.js';
import { encodeMessage, parsePart, splitMessage } from './chunk.js';
import { Reassembler, type PartSender } from './reassembly.js';

const ID = 'BBBBBBBBBBBBBBBB';
const ORDER = { stream: 'SSSSSSSSSSS', counter: 1 };
const who = (name: string): PartSender => ({ member: name, key: `key-${name}` });

function parts(body: string, partBytes = 300, id = ID) {
  return splitMessage(id, ORDER, encodeMessage({ k: 'text', body, at: 5 }), partBytes).map((p) => parsePart(p)!);
}

/** The first part of a large message: declares `len` bytes, carries `data` bytes. */
const opening = (m: string, len: number, data = 0, c = 1) => ({ header: { m, s: 'SSSSSSSSSSS', c, i: 0, n: 64, len }, data: new Uint8Array(data) });
const nth = (m: string, len: number, i: number, data: number, c = 1) => ({ header: { m, s: 'SSSSSSSSSSS', c, i, n: 64, len }, data: new Uint8Array(data) });

describe('Reassembler', () => {
  it('keeps senders apart: the same message id from two members are two messages', () => {
    const r = new Reassembler();
    const ps = parts('x'.repeat(1000));
    expect(ps.length).toBeGreaterThan(2);
    for (const p of ps.slice(0, -1)) expect(r.add(who('alice'), p.header, p.data).status).toBe('pending');
    // Mallory cannot complete Alice's message with her own last part.
    expect(r.add(who('mallory'), ps.at(-1)!.header, ps.at(-1)!.data).status).toBe('pending');
    expect(r.add(who('alice'), ps.at(-1)!.header, ps.at(-1)!.data).status).toBe('complete');
  });

  it('reports a repeated part and rejects parts that disagree about the message (count, length, stream or counter)', () => {
    const r = new Reassembler();
    const [p0, p1, p2] = parts('y'.repeat(1200));
    expect(r.add(who('a'), p0!.header, p0!.data).status).toBe('pending');
    expect(r.add(who('a'), p0!.header, p0!.data).status).toBe('duplicate');
    expect(r.add(who('a'), { ...p1!.header, c: 2 }, p1!.data)).toEqual({ status: 'rejected', reason: 'inconsistent' });
    expect(r.reservedBytes).toBe(0);
    expect(r.add(who('a'), p0!.header, p0!.data).status).toBe('pending');
    expect(r.add(who('a'), { ...p2!.header, n: p2!.header.n + 1 }, p2!.data)).toEqual({ status: 'rejected', reason: 'inconsistent' });
  });

  it('counts bytes as they arrive, not as declared: a first part that declares 2 MiB and carries nothing holds nothing', () => {
    const r = new Reassembler();
    expect(r.add(who('h'), opening('AAAAAAAAAAAAAAA1', MAX_MESSAGE_BYTES).header, new Uint8Array(0)).status).toBe('pending');
    expect(r.reservedBytes).toBe(0);
  });

  it('does not let a part without new data extend a message, and ends every message at its lifetime', () => {
    let now = 0;
    const r = new Reassembler({ now: () => now, timeoutMs: 1000, lifetimeMs: 5000 });
    const len = 100_000;
    r.add(who('h'), opening('AAAAAAAAAAAAAAA1', len, 10).header, new Uint8Array(10));
    // Empty parts every 300 ms: none of them adds data, so the message still ends 1000 ms after the last real data.
    for (let i = 1; i <= 3; i++) {
      now = i * 300;
      const p = nth('AAAAAAAAAAAAAAA1', len, i, 0);
      r.add(who('h'), p.header, p.data);
    }
    now = 1001;
    expect(r.sweep()).toBe(1);
    // A slow-loris sender adding one byte every 900 ms is still cut off at the lifetime.
    now = 10_000;
    r.add(who('h'), opening('AAAAAAAAAAAAAAA2', len, 1).header, new Uint8Array(1));
    for (let i = 1; i <= 5; i++) {
      now = 10_000 + i * 900;
      const p = nth('AAAAAAAAAAAAAAA2', len, i, 1);
      r.add(who('h'), p.header, p.data);
    }
    expect(r.pendingCount).toBe(1);
    now = 15_001;
    expect(r.sweep()).toBe(1);
  });

  it('bounds each member id and each key: open messages and bytes', () => {
    const r = new Reassembler({ maxPendingPerSender: 2, maxSenderBytes: 5000 });
    expect(r.add(who('h'), opening('AAAAAAAAAAAAAAA1', 9000, 10).header, new Uint8Array(10)).status).toBe('pending');
    expect(r.add(who('h'), opening('AAAAAAAAAAAAAAA2', 9000, 10).header, new Uint8Array(10)).status).toBe('pending');
    expect(r.add(who('h'), opening('AAAAAAAAAAAAAAA3', 9000, 10).header, new Uint8Array(10))).toEqual({ status: 'rejected', reason: 'too-many-pending' });
    // The same key under a second member id (a reconnect) shares the key's budget.
    expect(r.add({ member: 'h2', key: 'key-h' }, opening('AAAAAAAAAAAAAAA4', 9000, 10).header, new Uint8Array(10))).toEqual({ status: 'rejected', reason: 'too-many-pending' });
    // Past its byte budget a sender loses the message it was growing, and nothing of anyone else's.
    expect(r.add(who('h'), nth('AAAAAAAAAAAAAAA1', 9000, 1, 4985).header, new Uint8Array(4985))).toEqual({ status: 'rejected', reason: 'over-budget' });
    expect(r.pendingCount).toBe(1);
    expect(r.add(who('honest'), opening('AAAAAAAAAAAAAAA5', 9000, 4000).header, new Uint8Array(4000)).status).toBe('pending');
  });

  it('when the room total is reached, the heaviest key loses its oldest message, never a lighter sender', () => {
    const r = new Reassembler({ maxPendingPerSender: 2, maxSenderBytes: 10_000, maxPendingBytes: 20_000 });
    // Two hostile keys fill the room's total.
    for (const h of ['h1', 'h2']) {
      r.add(who(h), opening(`AAAAAAAAAAAAAA${h}`, 60_000, 9_000).header, new Uint8Array(9_000));
    }
    expect(r.reservedBytes).toBe(18_000);
    const res = r.add(who('honest'), opening('AAAAAAAAAAAAAAA9', 60_000, 5_000).header, new Uint8Array(5_000));
    expect(res.status).toBe('pending');
    expect(res.status === 'pending' && res.evicted.map((e) => e.member)).toEqual(['h1']);
    // A hostile key asking for more while it is the heaviest is refused instead of evicting the honest one.
    expect(r.add(who('h2'), nth('AAAAAAAAAAAAAAh2', 60_000, 1, 1000).header, new Uint8Array(1000)).status).toBe('pending');
    expect(r.add(who('h3'), opening('AAAAAAAAAAAAAAh3', 60_000, 9_000).header, new Uint8Array(9_000)).status).toBe('pending');
    expect(r.bytesOfKey('key-honest')).toBe(5_000);
  });

  it('an honest multi-part message completes while another member keeps opening empty messages from two member ids (issue 13)', () => {
    let now = 0;
    const r = new Reassembler({ now: () => now });
    // The attack from the issue: a few large messages from two member ids, one empty part to each every 40 s.
    const ids = ['AAAAAAAAAAAAAAA1', 'AAAAAAAAAAAAAAA2'];
    for (let t = 0; t <= 120_000; t += 40_000) {
      now = t;
      for (const [k, m] of ['x', 'y'].entries()) {
        for (const id of ids) r.add({ member: `m-${m}`, key: 'key-mallory' }, nth(id, MAX_MESSAGE_BYTES, t / 40_000 + k, 0).header, new Uint8Array(0));
      }
    }
    const honest = splitMessage('HHHHHHHHHHHHHHHH', ORDER, new Uint8Array(300_000), 60_000).map((p) => parsePart(p)!);
    let done = false;
    for (const p of honest) done = r.add(who('alice'), p.header, p.data).status === 'complete';
    expect(done).toBe(true);
  });
});
