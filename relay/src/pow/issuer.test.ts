import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { solvePow } from '../../../protocol/src/pow.js';
import { MemoryStore } from '../store/memory.js';
import { extraBits, PowIssuer } from './issuer.js';

const cfg = { baseDifficulty: 8, maxDifficulty: 12, ratePerMinute: 10 };

describe('PowIssuer', () => {
  it('accepts a solved challenge once, and refuses a replay, a forgery or a wrong nonce', async () => {
    const store = new MemoryStore(Date.now);
    const pow = new PowIssuer(randomBytes(32), store, cfg);
    const ch = await pow.issue();
    expect(ch).toMatchObject({ difficulty: 8, subPuzzles: 16 });
    const nonces = solvePow(ch);
    await expect(pow.spend({ challenge: ch.challenge, nonces })).resolves.toBeUndefined();
    await expect(pow.spend({ challenge: ch.challenge, nonces })).rejects.toMatchObject({ status: 403, code: 'pow_invalid', message: /already used/ });

    const other = new PowIssuer(randomBytes(32), store, cfg);
    const foreign = await other.issue();
    await expect(pow.spend({ challenge: foreign.challenge, nonces: solvePow(foreign) })).rejects.toMatchObject({ message: /not a challenge from this relay/ });
    const easier = (await pow.issue()).challenge.replace(/\.8\.16\./, '.1.16.');
    await expect(pow.spend({ challenge: easier, nonces: Array(16).fill(0) })).rejects.toMatchObject({ code: 'pow_invalid' });
    const fresh = await pow.issue();
    await expect(pow.spend({ challenge: fresh.challenge, nonces: Array(16).fill(0) })).rejects.toMatchObject({ message: /wrong/ });
    await store.close();
  });

  it('refuses an expired challenge', async () => {
    let now = Date.now();
    const store = new MemoryStore(() => now);
    const pow = new PowIssuer(randomBytes(32), store, cfg, () => now);
    const ch = await pow.issue();
    now += 10 * 60_000;
    await expect(pow.spend({ challenge: ch.challenge, nonces: solvePow(ch) })).rejects.toMatchObject({ message: /expired/ });
    await store.close();
  });

  it('raises the difficulty a bit per doubling of the creation rate, up to the cap, and falls back', async () => {
    expect(extraBits(5, 10)).toBe(0);
    expect(extraBits(20, 10)).toBe(1);
    expect(extraBits(41, 10)).toBe(3);
    let now = Date.now();
    const store = new MemoryStore(() => now);
    const pow = new PowIssuer(randomBytes(32), store, cfg, () => now);
    expect(await pow.difficulty()).toBe(8);
    for (let i = 0; i < 200; i++) await store.count('create', now);
    now += 1500;
    expect(await pow.difficulty()).toBe(12);
    expect(await pow.underLoad()).toBe(true);
    now += 3 * 60_000;
    expect(await pow.difficulty()).toBe(8);
    await store.close();
  });
});
