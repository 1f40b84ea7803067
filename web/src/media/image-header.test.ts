import { describe, expect, it } from 'vitest';
import { readImageHeader, refuseImage } from './image-header.js';

/** A PNG signature and IHDR chunk declaring w × h (what a decoder allocates for), then IEND. */
function pngHeader(w: number, h: number, extra: number[] = []): Uint8Array {
  const b = new Uint8Array(8 + 25 + extra.length + 12);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const v = new DataView(b.buffer);
  v.setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12);
  v.setUint32(16, w);
  v.setUint32(20, h);
  b.set([8, 6, 0, 0, 0], 24);
  b.set(extra, 33);
  v.setUint32(33 + extra.length, 0);
  b.set([0x49, 0x45, 0x4e, 0x44], 37 + extra.length);
  return b;
}

describe('image headers, read before any decode', () => {
  it('reads PNG, JPEG and WebP dimensions', () => {
    expect(readImageHeader(pngHeader(23000, 23000))).toMatchObject({ mime: 'image/png', width: 23000, height: 23000 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x0b, 0xb8, 0x0f, 0xa0, 3, 0, 0, 0]);
    expect(readImageHeader(jpeg)).toMatchObject({ mime: 'image/jpeg', width: 4000, height: 3000 });
    const webp = new Uint8Array(30);
    webp.set(Array.from('RIFF').map((c) => c.charCodeAt(0)));
    webp.set(Array.from('WEBPVP8X').map((c) => c.charCodeAt(0)), 8);
    webp.set([0xff, 0x3f, 0, 0xff, 0x3f, 0], 24);
    expect(readImageHeader(webp)).toMatchObject({ mime: 'image/webp', width: 16384, height: 16384 });
  });

  it('refuses past the pixel budget, a type that differs from the claim, and anything else', () => {
    expect(refuseImage(pngHeader(23000, 23000), 'image/png')).toMatch(/23000×23000 pixels/);
    expect(refuseImage(pngHeader(1024, 768), 'image/png')).toBeNull();
    expect(refuseImage(pngHeader(1024, 768), 'image/jpeg')).toMatch(/not a PNG, JPEG or WebP/);
    expect(refuseImage(new TextEncoder().encode('GIF89a....'), 'image/png')).toMatch(/not a PNG/);
    expect(refuseImage(pngHeader(10, 10, [0, 0, 0, 8, 0x61, 0x63, 0x54, 0x4c, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]), 'image/png')).toMatch(/animated/);
  });
});
