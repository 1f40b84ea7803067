import { sha256 } from '@noble/hashes/sha2.js';
import type { PowChallenge } from './messages/pow.js';
import { utf8 } from './crypto/bytes.js';
import { NonceHasher } from './crypto/nonce-hasher.js';

/** A synchronous SHA-256 (WebCrypto's per-call promise is far too slow for millions of small hashes). */
export type Sha256 = (data: Uint8Array) => Uint8Array;
const defaultHash: Sha256 = (d) => sha256(d);

/** Leading zero bits each sub-puzzle needs. */
export function subPuzzleBits(difficulty: number, subPuzzles: number): number {
  return Math.max(1, difficulty - Math.log2(subPuzzles));
}

/** The hash input of sub-puzzle `index`: `ghostwire/pow/v1|<challenge>|<index>|` followed by the nonce as u32 big-endian. */
export function powPrefix(challenge: string, index: number): Uint8Array {
  const p = utf8(`ghostwire/pow/v1|${challenge}|${index}|`);
  const out = new Uint8Array(p.length + 4);
  out.set(p);
  return out;
}

export function leadingZeroBits(h: Uint8Array): number {
  let n = 0;
  for (const byte of h) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

function meets(buf: Uint8Array, nonce: number, bits: number, hash: Sha256): boolean {
  new DataView(buf.buffer, buf.byteOffset, buf.byteLength).setUint32(buf.length - 4, nonce >>> 0);
  return leadingZeroBits(hash(buf)) >= bits;
}

/** Checks a solution: one hash per sub-puzzle. */
export function verifyPow(ch: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>, nonces: number[], hash: Sha256 = defaultHash): boolean {
  if (nonces.length !== ch.subPuzzles) return false;
  const bits = subPuzzleBits(ch.difficulty, ch.subPuzzles);
  return nonces.every((nonce, i) => meets(powPrefix(ch.challenge, i), nonce, bits, hash));
}

export interface PowProgress {
  /** Sub-puzzles solved so far. */
  solved: number;
  total: number;
  hashes: number;
}

/**
 * Solves one sub-puzzle: the smallest nonce whose hash meets the bits, so
 * the answer does not depend on which worker found it. Yields the hashes
 * spent so far every `sliceHashes`, so a worker can report progress.
 * Without `hash`, SHA-256 is the prefix-midstate one (crypto/nonce-hasher.ts).
 */
export function* solveSubPuzzleSteps(ch: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>, index: number, hash?: Sha256, sliceHashes = 20_000): Generator<number, { nonce: number; hashes: number }> {
  const bits = subPuzzleBits(ch.difficulty, ch.subPuzzles);
  const buf = powPrefix(ch.challenge, index);
  const fast = hash ? null : new NonceHasher(buf.subarray(0, buf.length - 4));
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    if (fast ? fast.leadingZeroBits(nonce) >= bits : meets(buf, nonce, bits, hash!)) return { nonce, hashes: nonce + 1 };
    if ((nonce + 1) % sliceHashes === 0) yield nonce + 1;
  }
  throw new Error('proof-of-work nonce space exhausted');
}

/**
 * Solves a challenge in slices of `sliceHashes`, yielding progress between
 * slices so a worker can report it and stop when cancelled.
 */
export function* solvePowSteps(ch: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>, hash?: Sha256, sliceHashes = 20_000): Generator<PowProgress, number[]> {
  const nonces: number[] = [];
  let hashes = 0;
  for (let i = 0; i < ch.subPuzzles; i++) {
    const steps = solveSubPuzzleSteps(ch, i, hash, sliceHashes);
    for (;;) {
      const r = steps.next();
      if (r.done) {
        hashes += r.value.hashes;
        nonces.push(r.value.nonce);
        break;
      }
      yield { solved: i, total: ch.subPuzzles, hashes: hashes + r.value };
    }
    yield { solved: i + 1, total: ch.subPuzzles, hashes };
  }
  return nonces;
}

/** Solves a challenge synchronously (tests and Node clients). */
export function solvePow(ch: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>, hash?: Sha256): number[] {
  const it = solvePowSteps(ch, hash);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
