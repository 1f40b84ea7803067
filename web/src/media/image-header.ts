import { MAX_RECEIVED_IMAGE_PIXELS } from '../../../protocol/src/limits.js';

export interface ImageHeader {
  mime: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  animated: boolean;
}

const be16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const be32 = (b: Uint8Array, at: number): number => be16(b, at) * 65536 + be16(b, at + 2);
const le16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const le24 = (b: Uint8Array, at: number): number => le16(b, at) | ((b[at + 2] ?? 0) << 16);
const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

function png(b: Uint8Array): ImageHeader | null {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return null;
  // APNG: an acTL chunk before the first IDAT means many frames.
  let animated = false;
  for (let at = 8; at + 8 <= b.length; ) {
    const len = be32(b, at);
    const type = ascii(b, at + 4, 4);
    if (type === 'acTL') animated = true;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + len;
  }
  return { mime: 'image/png', width: be32(b, 16), height: be32(b, 20), animated };
}

function jpeg(b: Uint8Array): ImageHeader | null {
  for (let at = 2; at + 9 < b.length; ) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Start-of-frame markers C0–CF, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { mime: 'image/jpeg', height: be16(b, at + 5), width: be16(b, at + 7), animated: false };
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    at += 2 + be16(b, at + 2);
  }
  return null;
}

function webp(b: Uint8Array): ImageHeader | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') return { mime: 'image/webp', width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff, animated: false };
  if (chunk === 'VP8L') {
    const bits = le16(b, 21) | (le16(b, 23) << 16);
    return { mime: 'image/webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false };
  }
  if (chunk === 'VP8X') return { mime: 'image/webp', width: le24(b, 24) + 1, height: le24(b, 27) + 1, animated: ((b[20] ?? 0) & 0x02) !== 0 };
  return null;
}

/** Width, height and type from a PNG, JPEG or WebP header, without decoding; null for anything else. */
export function readImageHeader(b: Uint8Array): ImageHeader | null {
  if (b.length >= 8 && be32(b, 0) === 0x89504e47 && be32(b, 4) === 0x0d0a1a0a) return png(b);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  return null;
}

/**
 * Why a received image must not be decoded, as a sentence for its place in
 * the conversation; null if it may be. Checked on the bytes, not on what the
 * sender's metadata claims: a decoder allocates what the header declares.
 */
export function refuseImage(bytes: Uint8Array, declaredMime: string): string | null {
  const h = readImageHeader(bytes);
  if (!h || h.mime !== declaredMime) return 'An image was not shown: it is not a PNG, JPEG or WebP file as it claims to be.';
  if (h.animated) return 'An image was not shown: it is animated, which this app does not send.';
  if (h.width < 1 || h.height < 1 || h.width * h.height > MAX_RECEIVED_IMAGE_PIXELS) {
    return `An image was not shown: it declares ${h.width}×${h.height} pixels, more than the ${(MAX_RECEIVED_IMAGE_PIXELS / 1e6).toFixed(1)} million this app will decode. Ask the sender for a smaller one.`;
  }
  return null;
}
