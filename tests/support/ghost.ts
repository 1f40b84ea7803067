import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { createGhostResponseSchema, type CreateGhostResponse } from '../../protocol/src/messages/ghosts-api.js';
import { powChallengeSchema } from '../../protocol/src/messages/pow.js';
import { solvePow } from '../../protocol/src/pow.js';

/** Something that answers HTTP: `fetch` against a base URL, or a Hono app's `request` in process. */
export type Requester = (path: string, init?: RequestInit) => Promise<Response>;

export const over = (base: string): Requester => (path, init) => fetch(base + path, init);

export interface TestGhost extends CreateGhostResponse {
  /** `Authorization` header value. */
  auth: string;
}

/** A solved proof of work from the relay's /api/pow. */
export async function solveChallenge(req: Requester): Promise<{ challenge: string; nonces: number[] }> {
  const ch = powChallengeSchema.parse(await (await req('/api/pow')).json());
  return { challenge: ch.challenge, nonces: solvePow(ch) };
}

/** A fresh ECDSA P-256 public key in SPKI, base64url (the private half is thrown away). */
export async function newPublicKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  return toBase64url(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
}

/** Creates a ghost the way the PWA does: proof of work, then a public signing key. */
export async function createGhost(req: Requester): Promise<TestGhost> {
  const res = await req('/api/ghosts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ pow: await solveChallenge(req), publicKey: await newPublicKey(), alg: 'ECDSA-P256' }),
  });
  if (res.status !== 201) throw new Error(`create ghost: ${res.status} ${await res.text()}`);
  const g = createGhostResponseSchema.parse(await res.json());
  return { ...g, auth: `Bearer ${g.token}` };
}
