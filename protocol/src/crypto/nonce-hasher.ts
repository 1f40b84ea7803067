/**
 * SHA-256 (FIPS 180-4) of `prefix ‖ u32be(nonce)` for many nonces over one
 * fixed prefix: the proof-of-work's inner loop. Everything that does not
 * depend on the nonce is done once: the padded message lives in one reused
 * word buffer, the blocks before the nonce are compressed once (midstate),
 * so are the rounds of the nonce's block before its first word, and the
 * message schedule of every block after it (padding and length only). Per
 * nonce: one or two words change, no allocation. A test holds it to
 * @noble/hashes on every prefix length around the block boundaries.
 */

const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** Expands w[0..15] into w[16..63]. */
function expand(w: Uint32Array): void {
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
}

/** Runs rounds [from, to) of the compression on `s` (a..h) with schedule `w`. */
function rounds(s: Uint32Array, w: Uint32Array, from: number, to: number): void {
  let a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
  for (let i = from; i < to; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  s[0] = a; s[1] = b; s[2] = c; s[3] = d; s[4] = e; s[5] = f; s[6] = g; s[7] = h;
}

export class NonceHasher {
  /** The padded message as big-endian words, with the nonce's bytes zero. */
  private readonly base: Uint32Array;
  private readonly msg: Uint32Array;
  private readonly nonceAt: number;
  private readonly blocks: number;
  /** The first block holding a nonce byte, and the first of its words that does. */
  private readonly firstBlock: number;
  private readonly firstRound: number;
  /** State before firstBlock, and after its rounds before firstRound. */
  private readonly chain = new Uint32Array(8);
  private readonly midRounds = new Uint32Array(8);
  /** Expanded schedules of the blocks after firstBlock that hold no nonce byte (null: it does). */
  private readonly fixed: Array<Uint32Array | null> = [];
  private readonly w = new Uint32Array(64);
  private readonly s = new Uint32Array(8);
  private readonly h = new Uint32Array(8);

  constructor(prefix: Uint8Array) {
    const len = prefix.length + 4;
    this.nonceAt = prefix.length;
    this.blocks = Math.ceil((len + 9) / 64);
    const bytes = new Uint8Array(this.blocks * 64);
    bytes.set(prefix);
    bytes[len] = 0x80;
    const view = new DataView(bytes.buffer);
    // Bit length as u64 big-endian; messages here are far below 2^32 bits.
    view.setUint32(bytes.length - 4, len * 8);
    this.base = new Uint32Array(this.blocks * 16);
    for (let i = 0; i < this.base.length; i++) this.base[i] = view.getUint32(i * 4);
    this.msg = this.base.slice();
    this.firstBlock = this.nonceAt >> 6;
    this.firstRound = (this.nonceAt & 63) >> 2;
    const lastNonceBlock = (this.nonceAt + 3) >> 6;
    this.chain.set(IV);
    for (let b = 0; b < this.firstBlock; b++) this.compress(this.chain, b, 0);
    this.midRounds.set(this.chain);
    this.w.set(this.base.subarray(this.firstBlock * 16, this.firstBlock * 16 + 16));
    rounds(this.midRounds, this.w, 0, this.firstRound);
    for (let b = this.firstBlock + 1; b < this.blocks; b++) {
      if (b <= lastNonceBlock) {
        this.fixed[b] = null;
        continue;
      }
      const w = new Uint32Array(64);
      w.set(this.base.subarray(b * 16, b * 16 + 16));
      expand(w);
      this.fixed[b] = w;
    }
  }

  /** Compresses block `b` of msg into `state`, from round `from` (whose earlier rounds `state` already holds). */
  private compress(state: Uint32Array, b: number, from: number, initial: Uint32Array = state): void {
    const w = this.w;
    w.set(this.msg.subarray(b * 16, b * 16 + 16));
    expand(w);
    this.s.set(state);
    rounds(this.s, w, from, 64);
    for (let i = 0; i < 8; i++) state[i] = (initial[i]! + this.s[i]!) | 0;
  }

  /** The digest's first eight words (big-endian) for `nonce`; valid until the next call. */
  hashWords(nonce: number): Uint32Array {
    const msg = this.msg;
    const base = this.base;
    for (let k = 0; k < 4; k++) {
      const p = this.nonceAt + k;
      const wi = p >> 2;
      if (k === 0 || (p & 3) === 0) msg[wi] = base[wi]!;
      msg[wi] = msg[wi]! | (((nonce >>> (24 - 8 * k)) & 0xff) << (24 - 8 * (p & 3)));
    }
    const h = this.h;
    // The nonce's first block, from the saved rounds; then the rest.
    this.s.set(this.midRounds);
    const w = this.w;
    const fb = this.firstBlock;
    w.set(msg.subarray(fb * 16, fb * 16 + 16));
    expand(w);
    rounds(this.s, w, this.firstRound, 64);
    for (let i = 0; i < 8; i++) h[i] = (this.chain[i]! + this.s[i]!) | 0;
    for (let b = fb + 1; b < this.blocks; b++) {
      const fixed = this.fixed[b];
      if (fixed) {
        this.s.set(h);
        rounds(this.s, fixed, 0, 64);
        for (let i = 0; i < 8; i++) h[i] = (h[i]! + this.s[i]!) | 0;
      } else {
        this.compress(h, b, 0);
      }
    }
    return h;
  }

  /** Leading zero bits of SHA-256(prefix ‖ u32be(nonce)). */
  leadingZeroBits(nonce: number): number {
    const h = this.hashWords(nonce);
    let n = 0;
    for (let i = 0; i < 8; i++) {
      const z = Math.clz32(h[i]!);
      n += z;
      if (z < 32) break;
    }
    return n;
  }
}
