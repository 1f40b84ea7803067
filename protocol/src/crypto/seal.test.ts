import { describe, expect, it } from 'vitest';
import { CHAT_FRAME_BYTES, MEDIA_FRAME_BYTES } from '../limits.js';
import { fromUtf8, utf8 } from './bytes.js';
import { deriveRoomKeys, newRoomSecret } from './derive.js';
import { maxContentBytes, open, seal } from './seal.js';

describe('seal/open', () => {
  it('round-trips content and always produces one frame size per bucket', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    for (const text of ['', 'hi', 'x'.repeat(maxContentBytes('chat'))]) {
      const frame = await seal(k.contentKey, k.roomId, utf8(text));
      expect(frame.length).toBe(CHAT_FRAME_BYTES);
      expect(fromUtf8(await open(k.contentKey, k.roomId, frame))).toBe(text);
    }
    const media = await seal(k.contentKey, k.roomId, new Uint8Array(1000), 'media');
    expect(media.length).toBe(MEDIA_FRAME_BYTES);
  });

  it('refuses content larger than the bucket', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    await expect(seal(k.contentKey, k.roomId, new Uint8Array(maxContentBytes('chat') + 1))).rejects.toThrow(RangeError);
  });

  it('rejects a tampered frame', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    const frame = await seal(k.contentKey, k.roomId, utf8('hello'));
    frame[100] = (frame[100] ?? 0) ^ 1;
    await expect(open(k.contentKey, k.roomId, frame)).rejects.toThrow();
  });

  it('rejects a frame replayed into another room, even with the same key', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    const other = await deriveRoomKeys(newRoomSecret());
    const frame = await seal(k.contentKey, k.roomId, utf8('hello'));
    await expect(open(k.contentKey, other.roomId, frame)).rejects.toThrow();
    await expect(open(other.contentKey, other.roomId, frame)).rejects.toThrow();
  });

  it('uses a fresh IV for every frame', async () => {
    const k = await deriveRoomKeys(newRoomSecret());
    const a = await seal(k.contentKey, k.roomId, utf8('same'));
    const b = await seal(k.contentKey, k.roomId, utf8('same'));
    expect(Buffer.from(a.subarray(0, 12)).equals(Buffer.from(b.subarray(0, 12)))).toBe(false);
  });
});
