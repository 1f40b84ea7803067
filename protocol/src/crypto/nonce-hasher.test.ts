import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NonceHasher } from './nonce-hasher.js';

function reference(prefix: Uint8Array, nonce: number): Uint8Array {
  const buf = new Uint8Array(prefix.length + 4);
  buf.set(prefix);
  new DataView(buf.buffer).setUint32(prefix.length, nonce >>> 0);
  return sha256(buf);
}

function digest(h: NonceHasher, nonce: number): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  h.hashWords(nonce).forEach((w, i) => view.setUint32(i * 4, w));
  return out;
}

describe('NonceHasher', () => {
  it('equals SHA-256 of prefix ‖ u32be(nonce) for every prefix length up to three blocks', () => {
    for (let len = 0; len <= 200; len++) {
      const prefix = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff);
      const h = new NonceHasher(prefix);
      for (const nonce of [0, 1, 0xff, 0x100, 0x12345678, 0xfffffffe, 0xffffffff, 4096 + len]) {
        expect(digest(h, nonce)).toEqual(reference(prefix, nonce));
      }
    }
  });

  it('gives the same answer whatever nonces came before (no state leaks between calls)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 140 }), fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 8 }), (prefix, nonces) => {
        const h = new NonceHasher(prefix);
        for (const n of nonces) expect(digest(h, n)).toEqual(reference(prefix, n));
      }),
    );
  });

  it('counts the leading zero bits of the digest', () => {
    const prefix = new TextEncoder().encode('ghostwire/pow/v1|abc|0|');
    const h = new NonceHasher(prefix);
    for (let nonce = 0; nonce < 2000; nonce++) {
      const d = reference(prefix, nonce);
      let bits = 0;
      for (const b of d) {
        if (b === 0) { bits += 8; continue; }
        bits += Math.clz32(b) - 24;
        break;
      }
      expect(h.leadingZeroBits(nonce)).toBe(bits);
    }
  });
});
