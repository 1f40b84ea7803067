import { utf8 } from '../crypto/bytes.js';
import { hkdfSha256 } from '../crypto/derive.js';
import { HKDF_SALT, Label } from '../crypto/labels.js';

const GROUPS = 6;
const DIGITS_PER_GROUP = 5;
/** 16 bytes (128 bits) reduced to 30 decimal digits (~99.7 bits): the modulo bias is below 2^-28. */
const CODE_BYTES = 16;

/**
 * A code all members of one MLS epoch share: HKDF of the epoch authenticator
 * (RFC 9420 §8.7, which exists for this out-of-band comparison), shown as six
 * groups of five digits. A relay that splits the group into two epochs, or
 * slips in a leaf, cannot make the two sides' codes agree.
 */
export async function mlsSafetyCode(epochAuthenticator: Uint8Array): Promise<string> {
  const bytes = await hkdfSha256({ ikm: new Uint8Array(epochAuthenticator), salt: utf8(HKDF_SALT), info: utf8(Label.MlsSafetyCode), length: CODE_BYTES });
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  const digits = (n % 10n ** BigInt(GROUPS * DIGITS_PER_GROUP)).toString().padStart(GROUPS * DIGITS_PER_GROUP, '0');
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(digits.slice(i * DIGITS_PER_GROUP, (i + 1) * DIGITS_PER_GROUP));
  return groups.join(' ');
}
