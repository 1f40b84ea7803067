import { sha256, toHex } from './bytes.js';

/** Crockford base32 without I, L, O, U: no handle can be misread as another. */
const HANDLE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters after `Ghost#` (4 × 5 bits = 20 bits of the fingerprint). */
export const HANDLE_CHARS = 4;

export interface KeyLabel {
  /** SHA-256 of the SPKI public key, hex. */
  fingerprint: string;
  /** `Ghost#XXXX`, from the first 20 bits of the fingerprint. */
  handle: string;
  /** Hue 0–359 for the avatar colour, from fingerprint bytes 3–4. */
  hue: number;
  /** A CSS colour for that hue; 76% lightness keeps every hue above 4.5:1 contrast on the dark theme (WCAG AA). */
  colour: string;
}

/** SHA-256 of a public key's SPKI bytes. */
export async function keyFingerprint(spki: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(spki);
}

/** The handle and colour a fingerprint shows as: nobody can choose them without the key. */
export function labelFromFingerprint(fp: Uint8Array): KeyLabel {
  let bits = 0;
  for (let i = 0; i < 3; i++) bits = (bits << 8) | (fp[i] ?? 0);
  let handle = '';
  for (let i = 0; i < HANDLE_CHARS; i++) handle += HANDLE_ALPHABET[(bits >>> (19 - i * 5)) & 31];
  const hue = (((fp[3] ?? 0) << 8) | (fp[4] ?? 0)) % 360;
  return { fingerprint: toHex(fp), handle: `Ghost#${handle}`, hue, colour: `hsl(${hue} 70% 76%)` };
}

/** Fingerprint, handle and colour of a public key. */
export async function labelForKey(spki: Uint8Array<ArrayBuffer>): Promise<KeyLabel> {
  return labelFromFingerprint(await keyFingerprint(spki));
}
