/**
 * Runs inside headless Chromium (bundled by bench/client/browser.ts): the
 * PWA's own PoW solver and frame crypto, timed with performance.now() in a
 * cross-origin-isolated page (5 µs timer resolution).
 */
import { fromBase64url, randomBytes, toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { open, seal } from '../../protocol/src/crypto/seal.js';
import { solvePow } from '../../protocol/src/pow.js';

/**
 * Sign/verify of a chat frame. Signing is not on this build; when it lands,
 * set these to the PWA's own sign and verify so the timings below include them.
 */
export const frameSignature: {
  sign: ((frame: Uint8Array) => Promise<Uint8Array>) | null;
  verify: ((frame: Uint8Array, sig: Uint8Array) => Promise<boolean>) | null;
} = { sign: null, verify: null };

/** Solves `n` fresh challenges; returns each solve's milliseconds and its nonces (for the server's verify cost). */
async function benchPow(n: number, difficulty: number, subPuzzles: number) {
  const out: Array<{ challenge: string; ms: number; nonces: number[] }> = [];
  for (let i = 0; i < n; i++) {
    const challenge = toBase64url(randomBytes(24));
    const t0 = performance.now();
    const nonces = solvePow({ challenge, difficulty, subPuzzles });
    out.push({ challenge, ms: performance.now() - t0, nonces });
    await new Promise((r) => setTimeout(r, 0)); // let CDP breathe between solves
  }
  return out;
}

/** Times `n` rounds of pad+encrypt(+sign) to base64url and back through (verify+)decrypt+unpad. */
async function benchFrameCrypto(n: number) {
  const keys = await deriveRoomKeys(newRoomSecret());
  const content = utf8(JSON.stringify({ t: 'text', body: 'An ordinary chat message of a sentence or two, as people type them.', at: Date.now() }));
  const sealMs: number[] = [];
  const openMs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const frame = await seal(keys.contentKey, keys.roomId, content);
    const sig = frameSignature.sign ? await frameSignature.sign(frame) : null;
    const wire = toBase64url(frame);
    const t1 = performance.now();
    const bytes = fromBase64url(wire);
    if (frameSignature.verify && sig && !(await frameSignature.verify(bytes, sig))) throw new Error('signature did not verify');
    await open(keys.contentKey, keys.roomId, bytes);
    const t2 = performance.now();
    sealMs.push(t1 - t0);
    openMs.push(t2 - t1);
  }
  return { sealMs, openMs, signed: frameSignature.sign !== null, isolated: crossOriginIsolated };
}

Object.assign(globalThis, { benchPow, benchFrameCrypto });
