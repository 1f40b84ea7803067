import { describe, expect, it } from 'vitest';
import { deriveDirectKeys, generateEphemeral, newDirectSecret } from '../../../protocol/src/crypto/direct.js';
import { DIRECT_FRAME_BYTES } from '../../../protocol/src/limits.js';
import { DirectCodec } from './codec.js';

async function pair() {
  const d = newDirectSecret();
  const [a, b] = [await generateEphemeral(), await generateEphemeral()];
  return [new DirectCodec(await deriveDirectKeys(a, b.pub, d)), new DirectCodec(await deriveDirectKeys(b, a.pub, d))] as const;
}

describe('direct codec', () => {
  it('sends 1,500 emoji and 3,000 "€" as 4096-byte frames only, and joins them again', async () => {
    const [a, b] = await pair();
    for (const body of ['😀'.repeat(1500), '€'.repeat(3000), 'short']) {
      const content = { k: 'text' as const, id: 'abcdefghijkl', body, at: 5 };
      const frames = await a.seal(content);
      for (const f of frames) expect(f.length).toBe(DIRECT_FRAME_BYTES);
      const out = [];
      for (const f of frames) out.push(await b.open(f, 'data'));
      expect(out.at(-1)).toEqual(content);
      expect(out.slice(0, -1).every((o) => o === null)).toBe(true);
    }
    const cover = await a.seal({ k: 'cover' });
    expect(cover.map((f) => f.length)).toEqual([DIRECT_FRAME_BYTES]);
  });

  it('keeps the two streams apart, and drops frames of the wrong size or key', async () => {
    const [a, b] = await pair();
    const [, other] = await pair();
    const frames = await a.seal({ k: 'text', id: 'abcdefghijkl', body: '€'.repeat(3000), at: 1 });
    expect(await b.open(frames[0]!, 'rtc')).toBeNull();
    for (const f of frames.slice(1)) expect(await b.open(f, 'data')).toBeNull();
    expect(await other.open((await a.seal({ k: 'cover' }))[0]!, 'data')).toBeNull();
    expect(await b.open(new Uint8Array(8192), 'data')).toBeNull();
  });
});
