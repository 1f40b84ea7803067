import { describe, expect, it } from 'vitest';
import { containsExif, JPEG_APP1, jpegMarkers } from './jpeg.js';

const seg = (marker: number, payload: number[]) => [0xff, marker, 0, payload.length + 2, ...payload];

describe('jpegMarkers / containsExif', () => {
  it('lists header segments up to the start of scan and finds an Exif APP1', () => {
    const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, 1, 2];
    const jpeg = new Uint8Array([0xff, 0xd8, ...seg(0xe0, [1, 2, 3]), ...seg(JPEG_APP1, exif), ...seg(0xda, [0]), 9, 9]);
    expect(jpegMarkers(jpeg)).toEqual([0xe0, JPEG_APP1, 0xda]);
    expect(containsExif(jpeg)).toBe(true);
  });

  it('finds nothing in a JPEG without metadata, or in bytes that are not a JPEG', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, ...seg(0xe0, [1]), ...seg(0xdb, [2]), ...seg(0xda, [0])]);
    expect(jpegMarkers(jpeg)).toEqual([0xe0, 0xdb, 0xda]);
    expect(containsExif(jpeg)).toBe(false);
    expect(jpegMarkers(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toEqual([]);
  });
});
