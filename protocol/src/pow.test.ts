import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { leadingZeroBits, solvePow, solveSubPuzzleSteps, subPuzzleBits, verifyPow } from './pow.js';

describe('proof of work', () => {
  const ch = { challenge: 'test-challenge-0123456789', difficulty: 12, subPuzzles: 4 };

  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0, 0x80]))).toBe(16);
    expect(leadingZeroBits(new Uint8Array([0x0f]))).toBe(4);
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16);
  });

  it('splits the difficulty across sub-puzzles', () => {
    expect(subPuzzleBits(16, 16)).toBe(12);
    expect(subPuzzleBits(16, 1)).toBe(16);
  });

  it('solves and verifies; a wrong nonce, count or challenge fails', () => {
    const nonces = solvePow(ch);
    expect(verifyPow(ch, nonces)).toBe(true);
    expect(verifyPow(ch, nonces.slice(1))).toBe(false);
    expect(verifyPow({ ...ch, challenge: 'other-challenge-0123456789' }, nonces)).toBe(false);
    const bad = [...nonces];
    bad[0] = bad[0]! + 1;
    // A neighbouring nonce meets 10 leading zero bits with probability 2^-10.
    expect(verifyPow(ch, bad)).toBe(false);
  });
});

describe('proof of work, prefix-midstate SHA-256', () => {
  it('finds the same nonces as with @noble/hashes, which verify', () => {
    const ch = { challenge: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0', difficulty: 14, subPuzzles: 16 };
    const fast = solvePow(ch);
    expect(fast).toEqual(solvePow(ch, (d) => sha256(d)));
    expect(verifyPow(ch, fast)).toBe(true);
  });

  it('solves one sub-puzzle on its own, as a worker does', () => {
    const ch = { challenge: 'one-sub-puzzle-0123456789', difficulty: 12, subPuzzles: 4 };
    const all = solvePow(ch);
    for (let i = 0; i < ch.subPuzzles; i++) {
      const it = solveSubPuzzleSteps(ch, i, undefined, 64);
      let r = it.next();
      while (!r.done) r = it.next();
      expect(r.value).toEqual({ nonce: all[i], hashes: all[i]! + 1 });
    }
  });
});
