import { concatBytes, utf8 } from './bytes.js';

/**
 * Signing keys of a ghost: created in memory at session start, private key
 * non-extractable. ECDSA P-256 (SHA-256, IEEE P1363 r‖s signatures) is the
 * default because every WebCrypto has it; Ed25519 is used when asked for and
 * the platform supports it, else we fall back to P-256. Verifiers accept both.
 */
export const SignatureAlg = { EcdsaP256: 1, Ed25519: 2 } as const;
export type SignatureAlg = (typeof SignatureAlg)[keyof typeof SignatureAlg];

export interface SigningIdentity {
  alg: SignatureAlg;
  /** SubjectPublicKeyInfo (DER) of the public key: what others verify with and fingerprint. */
  publicKey: Uint8Array<ArrayBuffer>;
  privateKey: CryptoKey;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

function params(alg: SignatureAlg): { key: AlgorithmIdentifier | EcKeyImportParams; sign: AlgorithmIdentifier | EcdsaParams } {
  switch (alg) {
    case SignatureAlg.EcdsaP256:
      return { key: ECDSA_P256, sign: ECDSA_SHA256 };
    case SignatureAlg.Ed25519:
      return { key: { name: 'Ed25519' }, sign: { name: 'Ed25519' } };
    default: {
      const never: never = alg;
      throw new Error(`unknown signature algorithm ${String(never)}`);
    }
  }
}

/** Wraps an existing key pair (e.g. the ghost's from issue 3) as an identity. */
export async function identityFromKeyPair(pair: CryptoKeyPair): Promise<SigningIdentity> {
  const alg = pair.publicKey.algorithm.name === 'Ed25519' ? SignatureAlg.Ed25519 : SignatureAlg.EcdsaP256;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { alg, publicKey, privateKey: pair.privateKey };
}

/** Creates a fresh identity; `prefer: 'Ed25519'` falls back to P-256 where the platform lacks it. */
export async function generateSigningIdentity(prefer: 'P-256' | 'Ed25519' = 'P-256'): Promise<SigningIdentity> {
  if (prefer === 'Ed25519') {
    try {
      const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']));
      return await identityFromKeyPair(pair);
    } catch {
      // Not supported here (older Safari/Chromium): P-256 below.
    }
  }
  const pair = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  return identityFromKeyPair(pair);
}

/** Imports a peer's SPKI public key for verification; throws if it is not a key of `alg`. */
export async function importVerifyKey(alg: SignatureAlg, spki: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', spki, params(alg).key, false, ['verify']);
}

export async function signBytes(id: SigningIdentity, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(params(id.alg).sign, id.privateKey, data));
}

export async function verifyBytes(alg: SignatureAlg, key: CryptoKey, sig: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    return await crypto.subtle.verify(params(alg).sign, key, sig, data);
  } catch {
    return false;
  }
}

const SIG_DOMAIN = 'ghostwire/room-message-sig/v1';

function lengthPrefixed(s: string): Uint8Array<ArrayBuffer> {
  const b = utf8(s);
  const out = new Uint8Array(2 + b.length);
  new DataView(out.buffer).setUint16(0, b.length);
  out.set(b, 2);
  return out;
}

/**
 * What a room member signs: domain ‖ room id ‖ the sender's relay member id ‖
 * body. The member id is in it so a signed part replayed by another member
 * (who then appears as its sender on the relay) fails verification, and a
 * relay that relabels frames cannot move them to another member either.
 */
export function signedRoomData(roomId: string, memberId: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(lengthPrefixed(SIG_DOMAIN), lengthPrefixed(roomId), lengthPrefixed(memberId), body);
}
