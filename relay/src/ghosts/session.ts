import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { GhostKeyAlg } from '../../../protocol/src/messages/ghosts-api.js';

/** Bytes of a ghost id (128 bits, no timestamp) and of the secret half of its session token. */
const GHOST_ID_BYTES = 16;
const SESSION_SECRET_BYTES = 32;

const b64url = (b: Buffer) => b.toString('base64url');

/** SHA-256 of the token's secret part: all the relay keeps of it. */
export const hashSecret = (secret: string): string => b64url(createHash('sha256').update(secret).digest());

/** A fresh ghost id and session token `<ghostId>.<secret>`, with the hash to store. */
export function newGhostCredentials(): { id: string; token: string; tokenHash: string } {
  const id = b64url(randomBytes(GHOST_ID_BYTES));
  const secret = b64url(randomBytes(SESSION_SECRET_BYTES));
  return { id, token: `${id}.${secret}`, tokenHash: hashSecret(secret) };
}

/** Splits a session token into the ghost id and the hash of its secret; null if it is not shaped like one. */
export function parseSessionToken(token: string): { id: string; tokenHash: string } | null {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, tokenHash: hashSecret(m[2]!) } : null;
}

/** Whether `spki` (base64url DER) is a public key of the named algorithm. */
export function validPublicKey(spki: string, alg: GhostKeyAlg): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(spki, 'base64url'), format: 'der', type: 'spki' });
    if (alg === 'Ed25519') return key.asymmetricKeyType === 'ed25519';
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}
