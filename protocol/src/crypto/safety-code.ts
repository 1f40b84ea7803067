import { hkdf } from './derive.js';
import { Label } from './labels.js';

/** Crockford base32: no I, L, O or U, so a code read aloud is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short code every member of a room sees, derived from the room secret S
 * (the same secret the content key comes from) under its own label. Members
 * who compare codes out of band detect a tampered or swapped invite link:
 * a different S gives a different code. 40 bits, shown as XXXX-XXXX.
 */
export async function roomSafetyCode(secret: Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = await hkdf(secret, Label.SafetyCode, 5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
