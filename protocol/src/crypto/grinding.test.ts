import { describe, expect, it } from 'vitest';
import { HANDLE_ALPHABET, handleSkeleton, labelForKey, labelFromFingerprint } from './fingerprint.js';
import { generateSigningIdentity } from './sign.js';

/**
 * How many keys an attacker must generate, on average, to show a handle that
 * looks like a given member's (same skeleton: every character equal or
 * confusable). Computed from the label code itself: which handle characters a
 * fingerprint controls (by flipping its bits), and how many alphabet
 * characters each handle character can be mistaken for (by handleSkeleton).
 */
function keysToLookAlike(): { positions: number; worstCase: number; bits: number } {
  const base = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
  const handle = labelFromFingerprint(base).handle;
  // Handle positions that some fingerprint bit changes.
  const varying = new Set<number>();
  for (let bit = 0; bit < 256; bit++) {
    const fp = base.slice();
    fp[bit >> 3]! ^= 1 << (7 - (bit & 7));
    const other = labelFromFingerprint(fp).handle;
    for (let i = 0; i < handle.length; i++) if (other[i] !== handle[i]) varying.add(i);
  }
  // The worst target: at every position, the character with the most look-alikes.
  const lookAlikes = Math.max(...Array.from(HANDLE_ALPHABET).map((c) => Array.from(HANDLE_ALPHABET).filter((d) => handleSkeleton(d) === handleSkeleton(c)).length));
  const perPosition = lookAlikes / HANDLE_ALPHABET.length;
  const worstCase = 1 / perPosition ** varying.size;
  return { positions: varying.size, worstCase, bits: Math.log2(worstCase) };
}

describe('grinding a handle', () => {
  it('needs more than 2^40 key generations to look like another member, even for the easiest target', () => {
    const { positions, worstCase, bits } = keysToLookAlike();
    expect(positions).toBeGreaterThan(0);
    expect(worstCase).toBeGreaterThan(2 ** 40);
    console.info(`handle: ${positions} fingerprint-controlled characters; a look-alike of the easiest target takes 2^${bits.toFixed(1)} keys on average`);
  });

  it('the model holds for the attacker’s real key generator: handle characters are uniform, so matching k of them costs 32^k', async () => {
    const n = 1500;
    const started = performance.now();
    const labels = await Promise.all(Array.from({ length: n }, async () => labelForKey((await generateSigningIdentity()).publicKey)));
    const perSecond = n / ((performance.now() - started) / 1000);
    // First handle character: each of 32 values should appear about n/32 ≈ 47 times.
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l.handle[6]!, (counts.get(l.handle[6]!) ?? 0) + 1);
    expect(counts.size).toBe(32);
    for (const c of counts.values()) expect(c).toBeGreaterThan(n / 32 / 3);
    // Grinding a two-character prefix against a real target: the empirical cost is in line with 32^2.
    const target = labels[0]!.handle.slice(6, 8);
    const hits = labels.slice(1).filter((l) => l.handle.slice(6, 8) === target).length;
    expect(hits).toBeLessThan(10);
    const years = keysToLookAlike().worstCase / perSecond / (365 * 24 * 3600);
    console.info(`real generator here: ${Math.round(perSecond)} keys/s; the easiest look-alike would take ~${years.toExponential(1)} years on one core`);
  });

  it('the key code on tap carries at least 64 bits', () => {
    const code = labelFromFingerprint(new Uint8Array(32)).code.replace(/ /g, '');
    expect(code.length * Math.log2(HANDLE_ALPHABET.length)).toBeGreaterThanOrEqual(64);
  });
});
