import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { generateEphemeral, newDirectSecret, openDirect, sealDirect } from '../../../protocol/src/crypto/direct.js';
import { INVALID_KEY_MESSAGE, KeyAgreement, REFUSED_MESSAGE, type KeyOutcome } from './keying.js';

type Wire = { key?: string; mac?: string };

function side(secret: Uint8Array<ArrayBuffer> | null) {
  const out: Wire = {};
  const log: string[] = [];
  const ka = new KeyAgreement({
    secret,
    sendKey: (pub) => (out.key = pub),
    sendConfirm: (mac) => (out.mac = mac),
    log: (_k, text) => log.push(text),
    onSafetyNumber: () => undefined,
  });
  return { ka, out, log };
}

/** Runs both sides to the end over a "signaling server" that may rewrite keys. */
async function run(secretA: Uint8Array<ArrayBuffer> | null, secretB = secretA, rewriteKey = (k: string) => k): Promise<[KeyOutcome | null, KeyOutcome | null]> {
  const a = side(secretA);
  const b = side(secretB);
  await a.ka.begin();
  await b.ka.begin();
  const ra1 = await a.ka.onPeerKey(fromBase64url(rewriteKey(b.out.key!)));
  const rb1 = await b.ka.onPeerKey(fromBase64url(rewriteKey(a.out.key!)));
  const ra = (await a.ka.onPeerConfirm(fromBase64url(b.out.mac!))) ?? ra1;
  const rb = rb1 ?? (await b.ka.onPeerConfirm(fromBase64url(a.out.mac!)));
  return [ra, rb];
}

describe('KeyAgreement', () => {
  it('agrees on one key with exactly one polite side', async () => {
    const [ra, rb] = await run(newDirectSecret());
    expect(ra?.ok && rb?.ok).toBe(true);
    if (!ra?.ok || !rb?.ok) return;
    expect(ra.polite).not.toBe(rb.polite);
    const frame = await sealDirect(ra.keys, new TextEncoder().encode('hi'));
    expect(new TextDecoder().decode(await openDirect(rb.keys, frame))).toBe('hi');
  });

  it('refuses on both sides when the signaling server swaps the public keys', async () => {
    const mallory = toBase64url((await generateEphemeral()).pub);
    const [ra, rb] = await run(newDirectSecret(), undefined, () => mallory);
    expect(ra).toEqual({ ok: false, reason: REFUSED_MESSAGE });
    expect(rb).toEqual({ ok: false, reason: REFUSED_MESSAGE });
  });

  it('refuses an invalid point with its own sentence', async () => {
    const a = side(newDirectSecret());
    expect(await a.ka.onPeerKey(new Uint8Array(97))).toEqual({ ok: false, reason: INVALID_KEY_MESSAGE });
  });

  it('works without a link secret (stranger mode) and logs that only the safety number can detect someone in the middle', async () => {
    const [ra] = await run(null);
    expect(ra?.ok).toBe(true);
    const s = side(null);
    await s.ka.begin();
    const peer = side(null);
    await peer.ka.begin();
    await s.ka.onPeerKey(fromBase64url(peer.out.key!));
    await peer.ka.onPeerKey(fromBase64url(s.out.key!));
    await s.ka.onPeerConfirm(fromBase64url(peer.out.mac!));
    expect(s.log.join('\n')).toMatch(/cannot detect someone in the middle/);
  });
});
