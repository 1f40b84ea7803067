import { concatBytes } from './bytes.js';
import { SignatureAlg, signBytes, signedRoomData, type SigningIdentity } from './sign.js';

/** First byte of every envelope; a reader refuses any other. */
export const ENVELOPE_VERSION = 1;
/** A SPKI public key longer than this is refused before any parsing (P-256 is 91 bytes, Ed25519 44). */
const MAX_PUBLIC_KEY_BYTES = 160;
const MAX_SIGNATURE_BYTES = 128;

/** A signed envelope: the signer's public key travels inside the sealed frame, never to the relay in clear. */
export interface Envelope {
  alg: SignatureAlg;
  publicKey: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  body: Uint8Array<ArrayBuffer>;
}

/** Bytes an envelope adds around its body for an identity (to size parts to a bucket). */
export const envelopeOverhead = (id: SigningIdentity): number => 1 + 1 + 2 + id.publicKey.length + 2 + MAX_SIGNATURE_BYTES;

/** Signs `body` for (room, member) and wraps it: version ‖ alg ‖ u16 pk ‖ pk ‖ u16 sig ‖ sig ‖ body. */
export async function sealEnvelope(id: SigningIdentity, roomId: string, memberId: string, body: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const sig = await signBytes(id, signedRoomData(roomId, memberId, body));
  const head = new Uint8Array(4);
  head[0] = ENVELOPE_VERSION;
  head[1] = id.alg;
  new DataView(head.buffer).setUint16(2, id.publicKey.length);
  const sigLen = new Uint8Array(2);
  new DataView(sigLen.buffer).setUint16(0, sig.length);
  return concatBytes(head, id.publicKey, sigLen, sig, body);
}

/** Splits an envelope into its fields; null if it is malformed (never throws on hostile bytes). */
export function parseEnvelope(bytes: Uint8Array): Envelope | null {
  if (bytes.length < 6 || bytes[0] !== ENVELOPE_VERSION) return null;
  const alg = bytes[1];
  if (alg !== SignatureAlg.EcdsaP256 && alg !== SignatureAlg.Ed25519) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pkLen = view.getUint16(2);
  if (pkLen === 0 || pkLen > MAX_PUBLIC_KEY_BYTES || 4 + pkLen + 2 > bytes.length) return null;
  const sigLen = view.getUint16(4 + pkLen);
  const bodyAt = 4 + pkLen + 2 + sigLen;
  if (sigLen === 0 || sigLen > MAX_SIGNATURE_BYTES || bodyAt > bytes.length) return null;
  return {
    alg,
    publicKey: bytes.slice(4, 4 + pkLen),
    signature: bytes.slice(4 + pkLen + 2, bodyAt),
    body: bytes.slice(bodyAt),
  };
}
