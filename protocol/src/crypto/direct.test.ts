import { describe, expect, it } from 'vitest';
import { DIRECT_FRAME_BYTES } from '../limits.js';
import { fromUtf8, utf8 } from './bytes.js';
import { deriveRoomKeys } from './derive.js';
import {
  confirmTag,
  deriveDirectKeys,
  directRoomId,
  generateEphemeral,
  isPolite,
  MAX_DIRECT_CONTENT_BYTES,
  newDirectSecret,
  openDirect,
  safetyNumber,
  sealDirect,
  verifyConfirm,
} from './direct.js';

async function pairOfSessions(secretA: Uint8Array<ArrayBuffer> | null, secretB = secretA) {
  const a = await generateEphemeral();
  const b = await generateEphemeral();
  return { a, b, ka: await deriveDirectKeys(a, b.pub, secretA), kb: await deriveDirectKeys(b, a.pub, secretB) };
}

describe('direct mode keys', () => {
  it('derives a room id from D under its own label: stable, and unlike the room id of the same bytes', async () => {
    const d = newDirectSecret();
    const id = await directRoomId(d);
    expect(id).toBe(await directRoomId(new Uint8Array(d)));
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(id).not.toBe((await deriveRoomKeys(new Uint8Array(d))).roomId);
    await expect(directRoomId(new Uint8Array(16))).rejects.toThrow(/32 bytes/);
  });

  it('gives both peers the same session: each opens what the other sealed, and confirmation verifies both ways', async () => {
    const { ka, kb } = await pairOfSessions(newDirectSecret());
    expect(Buffer.from(ka.transcript).equals(Buffer.from(kb.transcript))).toBe(true);
    expect(fromUtf8(await openDirect(kb, await sealDirect(ka, utf8('hello bob'))))).toBe('hello bob');
    expect(fromUtf8(await openDirect(ka, await sealDirect(kb, utf8('hello alice'))))).toBe('hello alice');
    expect(await verifyConfirm(kb, await confirmTag(ka))).toBe(true);
    expect(await verifyConfirm(ka, await confirmTag(kb))).toBe(true);
    // A tag reflected back to its sender does not verify: the sender's own key is in its input.
    expect(await verifyConfirm(ka, await confirmTag(ka))).toBe(false);
    expect(ka.key.extractable).toBe(false);
    expect(ka.confirmKey.extractable).toBe(false);
  });

  it('fails confirmation when the peers hold different link secrets', async () => {
    const { ka, kb } = await pairOfSessions(newDirectSecret(), newDirectSecret());
    expect(await verifyConfirm(kb, await confirmTag(ka))).toBe(false);
    await expect(openDirect(kb, await sealDirect(ka, utf8('x')))).rejects.toThrow();
  });

  it('detects a man in the middle who swaps the public keys without knowing D', async () => {
    const d = newDirectSecret();
    const alice = await generateEphemeral();
    const bob = await generateEphemeral();
    const mallory = await generateEphemeral();
    // Mallory hands each side her own key and runs ECDH with both, but must guess the salt.
    const aliceSide = await deriveDirectKeys(alice, mallory.pub, d);
    const bobSide = await deriveDirectKeys(bob, mallory.pub, d);
    const malloryToAlice = await deriveDirectKeys(mallory, alice.pub, newDirectSecret());
    expect(await verifyConfirm(aliceSide, await confirmTag(malloryToAlice))).toBe(false);
    // Relaying Bob's genuine tag to Alice does not help either.
    expect(await verifyConfirm(aliceSide, await confirmTag(bobSide))).toBe(false);
    // In stranger mode (no D) the same attack passes confirmation; only the safety number shows it.
    const strangerA = await deriveDirectKeys(alice, mallory.pub, null);
    const malloryS = await deriveDirectKeys(mallory, alice.pub, null);
    expect(await verifyConfirm(strangerA, await confirmTag(malloryS))).toBe(true);
    const seenByAlice = await safetyNumber(alice.pub, mallory.pub);
    const seenByBob = await safetyNumber(bob.pub, mallory.pub);
    expect(seenByAlice.digits).not.toBe(seenByBob.digits);
  });

  it('refuses an invalid public point and an echoed own key', async () => {
    const a = await generateEphemeral();
    const bad = new Uint8Array(a.pub);
    bad[50] = (bad[50] ?? 0) ^ 0xff;
    await expect(deriveDirectKeys(a, bad, newDirectSecret())).rejects.toThrow();
    await expect(deriveDirectKeys(a, new Uint8Array(a.pub), newDirectSecret())).rejects.toThrow(/own public key/);
  });

  it('computes one 60-digit safety number on both sides, whatever the order', async () => {
    const a = await generateEphemeral();
    const b = await generateEphemeral();
    const x = await safetyNumber(a.pub, b.pub);
    const y = await safetyNumber(b.pub, a.pub);
    expect(x).toEqual(y);
    expect(x.digits).toMatch(/^\d{60}$/);
    expect(x.groups).toHaveLength(12);
    expect(x.qr).toBe(`ghostwire-sn:1:${x.digits}`);
  });

  it('makes exactly one side polite', async () => {
    const a = await generateEphemeral();
    const b = await generateEphemeral();
    expect((await isPolite(a.pub, b.pub)) !== (await isPolite(b.pub, a.pub))).toBe(true);
  });
});

describe('direct frames', () => {
  it('are exactly 4096 bytes whatever they carry, and refuse content that needs splitting', async () => {
    const { ka } = await pairOfSessions(newDirectSecret());
    for (const n of [0, 1, 4000, MAX_DIRECT_CONTENT_BYTES]) {
      expect((await sealDirect(ka, new Uint8Array(n))).length, `content ${n}`).toBe(DIRECT_FRAME_BYTES);
    }
    expect(MAX_DIRECT_CONTENT_BYTES).toBe(4064);
    await expect(sealDirect(ka, new Uint8Array(MAX_DIRECT_CONTENT_BYTES + 1))).rejects.toThrow(RangeError);
  });

  it('rejects a tampered frame, a frame of another size, and a frame from another session', async () => {
    const { ka, kb } = await pairOfSessions(newDirectSecret());
    const other = await pairOfSessions(newDirectSecret());
    const frame = await sealDirect(ka, utf8('hi'));
    const tampered = new Uint8Array(frame);
    tampered[200] = (tampered[200] ?? 0) ^ 1;
    await expect(openDirect(kb, tampered)).rejects.toThrow();
    await expect(openDirect(kb, frame.slice(0, 4000))).rejects.toThrow(/size/);
    await expect(openDirect(other.kb, frame)).rejects.toThrow();
  });
});
