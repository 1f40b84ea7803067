import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_PARTS } from '../limits.js';
import { decodeMessage, encodeMessage, parsePart, splitMessage } from './chunk.js';

const ID = 'BBBBBBBBBBBBBBBB';
const ORDER = { stream: 'SSSSSSSSSSS', counter: 1 };

describe('message encoding', () => {
  it('refuses messages past the limits', () => {
    expect(() => splitMessage(ID, ORDER, new Uint8Array(MAX_MESSAGE_BYTES + 1), 60_000)).toThrow(RangeError);
    expect(() => splitMessage(ID, ORDER, new Uint8Array(MAX_MESSAGE_PARTS * 10), 135)).toThrow(/parts/);
  });

  it('rejects meta that does not match the schema or an attachment of the wrong size', () => {
    expect(decodeMessage(encodeMessage({ k: 'text', body: 'ok', at: 1 }, new Uint8Array(3)))).toBeNull();
    const img = { k: 'image' as const, mime: 'image/jpeg' as const, bytes: 4, w: 1, h: 1, at: 1 };
    expect(decodeMessage(encodeMessage(img, new Uint8Array(4)))?.attachment).toHaveLength(4);
    expect(decodeMessage(encodeMessage(img, new Uint8Array(5)))).toBeNull();
    expect(parsePart(new Uint8Array([0, 200, 1, 2]))).toBeNull();
  });
});
