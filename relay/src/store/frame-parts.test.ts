import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { frameParts } from './frame-parts.js';

describe('frameParts', () => {
  it('makes exactly the bytes of the encoded frame message, whatever the strings hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.nat(), (room, from, data, seq) => {
        const { head, tail } = frameParts(room, from, data);
        expect(head + String(seq) + tail).toBe(JSON.stringify({ v: PROTOCOL_VERSION, type: 'frame', room, seq, from, data }));
      }),
    );
  });

});
