/** JPEG markers that matter for metadata (ITU T.81 Annex B; Exif is APP1, ICC APP2, XMP APP1, IPTC APP13). */
export const JPEG_SOI = 0xd8;
export const JPEG_SOS = 0xda;
export const JPEG_APP1 = 0xe1;

/**
 * Lists the marker bytes of a JPEG's header segments up to the start of scan
 * (e.g. [0xe0, 0xdb, 0xc0, 0xc4, 0xda]). Used to prove re-encoded images carry
 * no APP1 (Exif/XMP) segment. Returns [] if the bytes are not a JPEG.
 */
export function jpegMarkers(bytes: Uint8Array): number[] {
  if (bytes[0] !== 0xff || bytes[1] !== JPEG_SOI) return [];
  const out: number[] = [];
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return out;
    const marker = bytes[i + 1]!;
    out.push(marker);
    if (marker === JPEG_SOS) return out;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    i += 2 + len;
  }
  return out;
}

/** True if the bytes contain an Exif header anywhere ("Exif\0\0"), whatever segment holds it. */
export function containsExif(bytes: Uint8Array): boolean {
  const sig = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
  outer: for (let i = 0; i + sig.length <= bytes.length; i++) {
    for (let j = 0; j < sig.length; j++) if (bytes[i + j] !== sig[j]) continue outer;
    return true;
  }
  return false;
}
