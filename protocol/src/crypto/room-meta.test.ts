import { describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from './bytes.js';
import { deriveRoomKeys, newRoomSecret } from './derive.js';
import { ROOM_META_MAX_CHARS, ROOM_NAME_MAX_BYTES } from '../limits.js';
import { isPublicRoomMeta, openRoomName, publicRoomMeta, readPublicRoomMeta, sealRoomName } from './room-meta.js';

describe('room meta: a sealed name for private rooms, secret and name in clear for public ones', () => {
  it('seals a private name that only the room key opens, at one length whatever the name', async () => {
    const keys = await deriveRoomKeys(newRoomSecret());
    const other = await deriveRoomKeys(newRoomSecret());
    const short = await sealRoomName(keys, 'x');
    const long = await sealRoomName(keys, 'ü'.repeat(ROOM_NAME_MAX_BYTES / 2));
    expect(short.length).toBe(long.length);
    expect(long.length).toBeLessThanOrEqual(ROOM_META_MAX_CHARS);
    expect(await openRoomName(keys, short)).toBe('x');
    expect(await openRoomName(keys, long)).toBe('ü'.repeat(30));
    expect(await openRoomName(other, short)).toBeNull();
    // The name is not in the meta in any form.
    expect(Buffer.from(fromBase64url(await sealRoomName(keys, 'secret plans'))).includes('secret plans')).toBe(false);
  });

  it('refuses a tampered or foreign meta', async () => {
    const keys = await deriveRoomKeys(newRoomSecret());
    const meta = fromBase64url(await sealRoomName(keys, 'name'));
    meta[20]! ^= 1;
    expect(await openRoomName(keys, toBase64url(meta))).toBeNull();
    expect(await openRoomName(keys, 'AAAA')).toBeNull();
    expect(await openRoomName(keys, '!!')).toBeNull();
  });

  it('refuses empty and too-long names', async () => {
    const keys = await deriveRoomKeys(newRoomSecret());
    await expect(sealRoomName(keys, '   ')).rejects.toThrow(/at least one character/);
    await expect(sealRoomName(keys, 'a'.repeat(ROOM_NAME_MAX_BYTES + 1))).rejects.toThrow(/at most/);
    expect(() => publicRoomMeta(newRoomSecret(), 'a'.repeat(ROOM_NAME_MAX_BYTES + 1))).toThrow(/at most/);
  });

  it('gives a lobby reader the secret of a public room, only for the room id it derives', async () => {
    const secret = newRoomSecret();
    const keys = await deriveRoomKeys(secret);
    const meta = publicRoomMeta(secret, 'Night owls');
    expect(meta.length).toBeLessThanOrEqual(ROOM_META_MAX_CHARS);
    const read = await readPublicRoomMeta(meta, keys.roomId);
    expect(read?.name).toBe('Night owls');
    expect(toBase64url(read!.secret)).toBe(toBase64url(secret));
    // Listed under another room's id: refused.
    expect(await readPublicRoomMeta(meta, (await deriveRoomKeys(newRoomSecret())).roomId)).toBeNull();
    // A member reads the public name the same way as a private one.
    expect(await openRoomName(keys, meta)).toBe('Night owls');
    // A private room's meta is not a lobby entry.
    expect(await readPublicRoomMeta(await sealRoomName(keys, 'n'), keys.roomId)).toBeNull();
    expect(isPublicRoomMeta(meta)).toBe(true);
    expect(isPublicRoomMeta(await sealRoomName(keys, 'n'))).toBe(false);
  });
});
