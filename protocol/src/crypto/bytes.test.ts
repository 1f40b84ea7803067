import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './bytes.js';

describe('base64url', () => {
  it('encodes as RFC 4648 §5 without padding, and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6000 }), (b) => {
        const s = toBase64url(b);
        expect(s).toBe(Buffer.from(b).toString('base64url'));
        expect(fromBase64url(s)).toEqual(b);
      }),
    );
  });

  it('accepts padding and refuses characters outside the alphabet, whitespace included', () => {
    expect(fromBase64url('AQI=')).toEqual(new Uint8Array([1, 2]));
    for (const bad of ['AQ+I', 'AQ/I', 'AQ I', 'AQI\n', ' AQI', 'A=QI', 'AQ$I']) expect(() => fromBase64url(bad)).toThrow();
  });
});
