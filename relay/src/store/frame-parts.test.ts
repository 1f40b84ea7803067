import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { serverCommitSchema } from '../../../protocol/src/messages/commit.js';
import { commitParts, frameParts, sentAck } from './frame-parts.js';

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const base64url = (minLength: number) => fc.string({ unit: fc.constantFrom(...Array.from(B64URL_CHARS)), minLength, maxLength: 64 });

describe('frameParts', () => {
  it('makes exactly the bytes of the encoded frame message for any base64url ids and data', () => {
    fc.assert(
      fc.property(base64url(1), base64url(1), base64url(1), fc.nat(), (room, from, data, seq) => {
        const { head, tail } = frameParts(room, from, data);
        expect(head + String(seq) + tail).toBe(JSON.stringify({ v: PROTOCOL_VERSION, type: 'frame', room, seq, from, data }));
      }),
    );
  });

  it('makes exactly the bytes of the encoded sent ack', () => {
    fc.assert(
      fc.property(base64url(1), fc.nat(), fc.nat(), fc.nat(), (room, ref, seq, delivered) => {
        expect(sentAck(room, ref, seq, delivered)).toBe(JSON.stringify({ v: PROTOCOL_VERSION, type: 'sent', room, ref, seq, delivered }));
      }),
    );
  });

  it('makes exactly the bytes of the encoded commit message, with or without a welcome', () => {
    fc.assert(
      fc.property(base64url(1), base64url(1), base64url(1), fc.option(base64url(1), { nil: undefined }), fc.nat(), fc.integer({ min: 1 }), (room, from, data, welcome, epoch, seq) => {
        const { head, tail } = commitParts(room, from, epoch, data, welcome);
        const msg = { v: PROTOCOL_VERSION, type: 'commit' as const, room, seq, from, epoch, data, ...(welcome === undefined ? {} : { welcome }) };
        expect(head + String(seq) + tail).toBe(JSON.stringify(msg));
        expect(serverCommitSchema.safeParse(JSON.parse(head + String(seq) + tail)).success).toBe(room.length === 22 && from.length === 22);
      }),
    );
  });
});
