import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxContentBytes, open, seal } from './seal.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from './derive.js';
import { decodeMessage, encodeMessage, parsePart, splitMessage } from './chunk.js';
import { Reassembler } from './reassembly.js';

const rooms: Promise<[RoomKeys, RoomKeys]> = Promise.all([deriveRoomKeys(newRoomSecret()), deriveRoomKeys(newRoomSecret())]);
const content = fc.uint8Array({ maxLength: maxContentBytes('chat') });

describe('sealed frames (property tests, fast-check)', () => {
  it('round-trips any content that fits the bucket', async () => {
    const [a] = await rooms;
    await fc.assert(
      fc.asyncProperty(content, async (c) => {
        const frame = await seal(a.contentKey, a.roomId, c);
        expect(Buffer.from(await open(a.contentKey, a.roomId, frame)).equals(Buffer.from(c))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects any single-bit change anywhere in the frame', async () => {
    const [a] = await rooms;
    await fc.assert(
      fc.asyncProperty(content, fc.nat(), fc.integer({ min: 0, max: 7 }), async (c, pos, bit) => {
        const frame = await seal(a.contentKey, a.roomId, c);
        const i = pos % frame.length;
        frame[i] = (frame[i] ?? 0) ^ (1 << bit);
        await expect(open(a.contentKey, a.roomId, frame)).rejects.toThrow();
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a frame opened under another room id, and one replayed into another room', async () => {
    const [a, b] = await rooms;
    await fc.assert(
      fc.asyncProperty(content, async (c) => {
        const frame = await seal(a.contentKey, a.roomId, c);
        await expect(open(a.contentKey, b.roomId, frame)).rejects.toThrow();
        await expect(open(b.contentKey, b.roomId, frame)).rejects.toThrow();
      }),
      { numRuns: 30 },
    );
  });
});

describe('splitting and reassembly (property tests)', () => {
  it('reassembles any message from its parts in any order', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 4000 }), fc.integer({ min: 200, max: 2000 }), fc.integer(), (body, partBytes, seed) => {
        const msg = encodeMessage({ k: 'text', body, at: 1 });
        const parts = splitMessage('AAAAAAAAAAAAAAAA', { stream: 'SSSSSSSSSSS', counter: 1 }, msg, partBytes).map((p) => parsePart(p)!);
        // Deterministic shuffle from the seed.
        const order = parts.map((_, i) => i).sort((x, y) => ((x * 7919 + seed) % 101) - ((y * 7919 + seed) % 101));
        const r = new Reassembler();
        let done: Uint8Array | undefined;
        for (const i of order) {
          const res = r.add({ member: 'm', key: 'k' }, parts[i]!.header, parts[i]!.data);
          if (res.status === 'complete') done = res.message;
        }
        expect(done && decodeMessage(done)?.meta).toEqual({ k: 'text', body, at: 1 });
        expect(r.reservedBytes).toBe(0);
      }),
      { numRuns: 80 },
    );
  });
});
