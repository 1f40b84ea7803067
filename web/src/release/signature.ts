import { z } from 'zod';
import { fromBase64url, utf8 } from '../../../protocol/src/crypto/bytes.js';

/**
 * The signature file beside the manifest: Ed25519 over the manifest's exact
 * bytes. It names its public key so that any key can be checked; whether that
 * key is *trusted* is decided by the pin and the compiled-in official key,
 * never by the file itself.
 */
export const SIGNATURE_FORMAT = 'ghostwire-release-signature/1';

const b64u = (len: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${len}}$`));

export const signatureSchema = z.object({
  format: z.literal(SIGNATURE_FORMAT),
  algorithm: z.literal('Ed25519'),
  /** Raw 32-byte Ed25519 public key, base64url (43 characters). */
  publicKey: b64u(43),
  /** 64-byte signature, base64url (86 characters). */
  signature: b64u(86),
});
export type ReleaseSignature = z.infer<typeof signatureSchema>;

/** Parses signature text; null if it is not a signature file of this format. */
export function parseSignature(text: string): ReleaseSignature | null {
  try {
    const s = signatureSchema.safeParse(JSON.parse(text));
    return s.success ? s.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether `sig` is a valid Ed25519 signature of `manifestText` by the key it names.
 * False where the browser lacks Ed25519 in WebCrypto (then nothing can be called signed).
 */
export async function signatureValid(manifestText: string, sig: ReleaseSignature): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', fromBase64url(sig.publicKey), { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64url(sig.signature), utf8(manifestText));
  } catch {
    return false;
  }
}
