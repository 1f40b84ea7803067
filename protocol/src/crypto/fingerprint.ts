import { sha256, toHex } from './bytes.js';

/** Crockford base32 without I, L, O, U: no handle can be misread as another. */
export const HANDLE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters after `Ghost#`, in groups of HANDLE_GROUP (12 × 5 = 60 bits of the fingerprint). */
export const HANDLE_CHARS = 12;
const HANDLE_GROUP = 4;
/** Characters of the key code shown on tap, for comparing in person (16 × 5 = 80 bits). */
export const KEY_CODE_CHARS = 16;
/**
 * Characters a reader could take for one another even in Crockford's
 * alphabet (shapes in common fonts). Two handles whose characters are
 * pairwise in one class look alike (handleSkeleton), and a room marks them.
 */
export const CONFUSABLE_CLASSES: readonly string[] = ['0D', '2Z', '5S', '8B', '6G', 'VY', 'MN', '1T'];

export interface KeyLabel {
  /** SHA-256 of the SPKI public key, hex. */
  fingerprint: string;
  /** `Ghost#XXXX-XXXX-XXXX`, from the first 60 bits of the fingerprint. */
  handle: string;
  /** KEY_CODE_CHARS characters from the fingerprint's first 80 bits, in groups of four: what two people compare in person. */
  code: string;
  /** Hue 0–359 for the avatar colour, from fingerprint bytes 10–11. */
  hue: number;
  /** A CSS colour for that hue; 76% lightness keeps every hue above 4.5:1 contrast on the dark theme (WCAG AA). */
  colour: string;
}

/** SHA-256 of a public key's SPKI bytes. */
export async function keyFingerprint(spki: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return sha256(spki);
}

/** The first `chars` base32 characters of the fingerprint's bits. */
function base32(fp: Uint8Array, chars: number): string {
  let out = '';
  for (let i = 0; i < chars; i++) {
    let v = 0;
    for (let b = 0; b < 5; b++) {
      const bit = i * 5 + b;
      v = (v << 1) | (((fp[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    }
    out += HANDLE_ALPHABET[v];
  }
  return out;
}

const grouped = (s: string, sep: string): string => s.match(new RegExp(`.{1,${HANDLE_GROUP}}`, 'g'))!.join(sep);

/** The handle, code and colour a fingerprint shows as: nobody can choose them without the key. */
export function labelFromFingerprint(fp: Uint8Array): KeyLabel {
  const hue = (((fp[10] ?? 0) << 8) | (fp[11] ?? 0)) % 360;
  return {
    fingerprint: toHex(fp),
    handle: `Ghost#${grouped(base32(fp, HANDLE_CHARS), '-')}`,
    code: grouped(base32(fp, KEY_CODE_CHARS), ' '),
    hue,
    colour: `hsl(${hue} 70% 76%)`,
  };
}

/** Fingerprint, handle and colour of a public key. */
export async function labelForKey(spki: Uint8Array<ArrayBuffer>): Promise<KeyLabel> {
  return labelFromFingerprint(await keyFingerprint(spki));
}

const CLASS_OF = new Map<string, string>(CONFUSABLE_CLASSES.flatMap((c) => Array.from(c).map((ch) => [ch, c[0]!] as [string, string])));

/** A handle with every character replaced by its confusable class: two handles that look alike have the same skeleton. */
export function handleSkeleton(handle: string): string {
  return Array.from(handle.toUpperCase()).map((ch) => CLASS_OF.get(ch) ?? ch).join('');
}

/**
 * What a room compares to find members who look alike: the skeleton of the
 * handle's first group. People read a handle from the start, so two keys
 * whose first four characters look the same are marked even when the rest
 * differs (in a room of 16, by chance about once in 3,000 rooms).
 */
export function lookalikeKey(handle: string): string {
  return handleSkeleton(handle.slice(0, 'Ghost#'.length + HANDLE_GROUP));
}
