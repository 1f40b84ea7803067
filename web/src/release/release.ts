import type { PinRecord } from '../../../sw/src/release-pin.js';
import { OFFICIAL_RELEASE_KEYS } from './keys.js';
import { parseManifest, type ReleaseManifest } from './manifest.js';
import { parseSignature, signatureValid } from './signature.js';

/**
 * Who vouches for a release:
 * - official: a valid signature by a compiled-in official key;
 * - other-key: a valid signature by some other key (a self-hoster's own build);
 * - unsigned: no signature file;
 * - bad-signature: a signature file that does not verify (or cannot be read).
 */
export type Signer =
  | { kind: 'official'; publicKey: string }
  | { kind: 'other-key'; publicKey: string }
  | { kind: 'unsigned' }
  | { kind: 'bad-signature' };

export interface Release {
  manifest: ReleaseManifest;
  /** The manifest's exact text (what the signature covers). */
  text: string;
  signer: Signer;
}

/** Parses a manifest and its signature and says who signed it; null if the manifest itself is not valid. */
export async function readRelease(rec: PinRecord, officialKeys: readonly string[] = OFFICIAL_RELEASE_KEYS): Promise<Release | null> {
  const manifest = await parseManifest(rec.manifest);
  if (!manifest) return null;
  return { manifest, text: rec.manifest, signer: await signerOf(rec, officialKeys) };
}

async function signerOf(rec: PinRecord, officialKeys: readonly string[]): Promise<Signer> {
  if (rec.signature === null) return { kind: 'unsigned' };
  const sig = parseSignature(rec.signature);
  if (!sig || !(await signatureValid(rec.manifest, sig))) return { kind: 'bad-signature' };
  return officialKeys.includes(sig.publicKey) ? { kind: 'official', publicKey: sig.publicKey } : { kind: 'other-key', publicKey: sig.publicKey };
}

/** The key a signer vouches with, or null for an unsigned or badly signed release. */
export function signerKey(s: Signer): string | null {
  return s.kind === 'official' || s.kind === 'other-key' ? s.publicKey : null;
}
