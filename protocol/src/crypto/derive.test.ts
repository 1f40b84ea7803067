import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './bytes.js';
import { deriveInviteKey, deriveRoomKeys, hkdf, newRoomSecret } from './derive.js';
import { Label } from './labels.js';

describe('deriveRoomKeys', () => {
  it('is deterministic for one secret and differs between secrets', async () => {
    const s = newRoomSecret();
    const a = await deriveRoomKeys(s);
    const b = await deriveRoomKeys(new Uint8Array(s));
    const c = await deriveRoomKeys(newRoomSecret());
    expect(a.roomId).toBe(b.roomId);
    expect(a.accessKeyHash).toBe(b.accessKeyHash);
    expect(c.roomId).not.toBe(a.roomId);
    expect(fromBase64url(a.roomId)).toHaveLength(16);
  });

  it('derives independent values under distinct labels', async () => {
    const s = newRoomSecret();
    const k = await deriveRoomKeys(s);
    const content = await hkdf(s, Label.ContentKey, 32);
    expect(toBase64url(content)).not.toBe(toBase64url(k.accessKey));
    expect(toBase64url(content).startsWith(k.roomId.slice(0, 10))).toBe(false);
  });

  it('keeps the content key non-extractable', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    expect(k.contentKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', k.contentKey)).rejects.toThrow();
  });

  it('refuses a secret of the wrong length', async () => {
    await expect(deriveRoomKeys(new Uint8Array(16))).rejects.toThrow(/32 bytes/);
  });
});

describe('deriveInviteKey', () => {
  it('is a non-extractable AES-GCM key independent of the content key', async () => {
    const s = newRoomSecret();
    const invite = await deriveInviteKey(s);
    const again = await deriveInviteKey(new Uint8Array(s));
    const { contentKey } = await deriveRoomKeys(s);
    expect(invite.extractable).toBe(false);
    const iv = new Uint8Array(12);
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, invite, new Uint8Array(8));
    expect(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, again, ct))).toEqual(new Uint8Array(8));
    await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv }, contentKey, ct)).rejects.toThrow();
  });
});
