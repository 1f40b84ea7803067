/**
 * Direct mode ("GhostWire", DESIGN §5): pure WebCrypto, the same in browsers
 * and Node. Two peers meet on /signal, swap ephemeral ECDH P-384 public keys
 * and derive one session key from the ECDH secret *and* the link secret D, so
 * a signaling server that swaps keys without knowing D ends up with peers
 * holding different keys, which key confirmation detects before anything is
 * sent. Curve: P-384 everywhere (X25519 is not in every WebCrypto yet, and
 * both sides must agree; the wire names the curve so it can be added later).
 */
import { DIRECT_FRAME_BYTES, DIRECT_SECRET_BYTES, IV_BYTES, PAD_HEADER_BYTES, ROOM_ID_BYTES, TAG_BYTES } from '../limits.js';
import { PROTOCOL_VERSION } from '../version.js';
import { concatBytes, randomBytes, sha256, toBase64url, utf8 } from './bytes.js';
import { HKDF_SALT } from './labels.js';

/** HKDF `info` labels and fixed inputs of direct mode, distinct from every room label. */
export const DirectLabel = {
  RoomId: 'ghostwire/direct-room-id/v1',
  Session: 'ghostwire/direct-session/v1',
  Confirm: 'ghostwire/direct-confirm/v1',
  SafetyNumber: 'ghostwire/safety-number/v1',
  /** Public HKDF salt of stranger sessions, which have no link secret. */
  StrangerSalt: 'ghostwire/direct-stranger/v1',
} as const;

export const DIRECT_CURVE = 'P-384';
const ECDH_BITS = 384;
/** SHA-512 rounds per key in the safety number (Signal's NumericFingerprint uses 5200). */
export const SAFETY_NUMBER_ITERATIONS = 5200;
/** Digits in a safety number: 30 per public key, shown in groups of 5. */
export const SAFETY_NUMBER_DIGITS = 60;

/** Draws a fresh 256-bit direct-link secret D. */
export const newDirectSecret = (): Uint8Array<ArrayBuffer> => randomBytes(DIRECT_SECRET_BYTES);

/** The direct room's id on /signal: HKDF-SHA-256(D) under its own label, 128 bits, base64url. */
export async function directRoomId(secret: Uint8Array<ArrayBuffer>): Promise<string> {
  if (secret.length !== DIRECT_SECRET_BYTES) throw new Error(`direct secret must be ${DIRECT_SECRET_BYTES} bytes`);
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(DirectLabel.RoomId) }, ikm, ROOM_ID_BYTES * 8);
  return toBase64url(new Uint8Array(bits));
}

export interface EphemeralKey {
  /** The private half is non-extractable; WebCrypto always lets the public half be exported. */
  pair: CryptoKeyPair;
  /** Uncompressed public point, 97 bytes. */
  pub: Uint8Array<ArrayBuffer>;
}

/** A fresh ECDH P-384 key pair for one session. */
export async function generateEphemeral(): Promise<EphemeralKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: DIRECT_CURVE }, false, ['deriveBits']));
  const pub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { pair, pub };
}

/** Lexicographic byte order, so both peers build the same transcript. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

export interface DirectKeys {
  /** AES-256-GCM session key, non-extractable. */
  key: CryptoKey;
  /** HMAC-SHA-256 key for key confirmation, non-extractable. */
  confirmKey: CryptoKey;
  /** Both public keys in canonical order (lower first). */
  transcript: Uint8Array<ArrayBuffer>;
  myPub: Uint8Array<ArrayBuffer>;
  peerPub: Uint8Array<ArrayBuffer>;
  /** Associated data of every sealed frame: binds it to this session's transcript and protocol version. */
  aad: Uint8Array<ArrayBuffer>;
}

/**
 * Derives the session from my ephemeral key, the peer's public key and D:
 * HKDF-SHA-256(ikm = ECDH secret, salt = D, info = label ‖ pubLow ‖ pubHigh),
 * 64 bytes split into the AES-256-GCM key and the confirmation key. With
 * `secret` null (stranger mode) the salt is a public label: then only the
 * safety number tells a man in the middle apart. Throws on an invalid point.
 */
export async function deriveDirectKeys(mine: EphemeralKey, peerPub: Uint8Array<ArrayBuffer>, secret: Uint8Array<ArrayBuffer> | null): Promise<DirectKeys> {
  if (secret && secret.length !== DIRECT_SECRET_BYTES) throw new Error(`direct secret must be ${DIRECT_SECRET_BYTES} bytes`);
  if (compareBytes(mine.pub, peerPub) === 0) throw new Error('the peer sent back my own public key');
  const peerKey = await crypto.subtle.importKey('raw', peerPub, { name: 'ECDH', namedCurve: DIRECT_CURVE }, false, []);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: peerKey }, mine.pair.privateKey, ECDH_BITS));
  const [lo, hi] = compareBytes(mine.pub, peerPub) < 0 ? [mine.pub, peerPub] : [peerPub, mine.pub];
  const transcript = concatBytes(lo, hi);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  shared.fill(0);
  const okm = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: secret ?? utf8(DirectLabel.StrangerSalt), info: concatBytes(utf8(DirectLabel.Session), transcript) },
      ikm,
      64 * 8,
    ),
  );
  const key = await crypto.subtle.importKey('raw', okm.subarray(0, 32), { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const confirmKey = await crypto.subtle.importKey('raw', okm.subarray(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  okm.fill(0);
  const aad = concatBytes(utf8(`ghostwire/v${PROTOCOL_VERSION}/direct/`), await sha256(transcript));
  return { key, confirmKey, transcript, myPub: mine.pub, peerPub, aad };
}

const confirmInput = (k: DirectKeys, senderPub: Uint8Array): Uint8Array<ArrayBuffer> =>
  concatBytes(utf8(DirectLabel.Confirm), senderPub, k.transcript);

/** My key-confirmation tag: HMAC(confirmKey, label ‖ myPub ‖ transcript). The sender's key in the input stops a reflected tag. */
export async function confirmTag(k: DirectKeys): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', k.confirmKey, confirmInput(k, k.myPub)));
}

/** Whether the peer's tag proves it derived the same keys (constant-time compare inside WebCrypto). */
export async function verifyConfirm(k: DirectKeys, tag: Uint8Array<ArrayBuffer>): Promise<boolean> {
  return crypto.subtle.verify('HMAC', k.confirmKey, tag, confirmInput(k, k.peerPub));
}

/** SHA-256 of a public key: compared to pick the polite side, and shown in the audit panel. */
export const directKeyFingerprint = (pub: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> => sha256(pub);

/** Perfect negotiation needs exactly one polite peer: the one whose key fingerprint sorts lower. */
export async function isPolite(myPub: Uint8Array<ArrayBuffer>, peerPub: Uint8Array<ArrayBuffer>): Promise<boolean> {
  return compareBytes(await directKeyFingerprint(myPub), await directKeyFingerprint(peerPub)) < 0;
}

async function thirtyDigits(pub: Uint8Array<ArrayBuffer>): Promise<string> {
  // Iterated like Signal's, so grinding for a key with a chosen half costs more.
  let h = concatBytes(utf8(DirectLabel.SafetyNumber), pub);
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) h = new Uint8Array(await crypto.subtle.digest('SHA-512', concatBytes(h, pub)));
  let out = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let n = 0;
    for (let j = 0; j < 5; j++) n = n * 256 + (h[chunk * 5 + j] ?? 0);
    out += String(n % 100000).padStart(5, '0');
  }
  return out;
}

export interface SafetyNumber {
  /** 60 digits, the same on both sides. */
  digits: string;
  /** The digits in 12 groups of 5, for reading aloud. */
  groups: string[];
  /** A string for a QR code: scheme, version and the digits. */
  qr: string;
}

/** The safety number of a session, computed from both public keys in canonical order. */
export async function safetyNumber(a: Uint8Array<ArrayBuffer>, b: Uint8Array<ArrayBuffer>): Promise<SafetyNumber> {
  const [lo, hi] = compareBytes(a, b) < 0 ? [a, b] : [b, a];
  const digits = (await thirtyDigits(lo)) + (await thirtyDigits(hi));
  const groups = digits.match(/\d{5}/g) ?? [];
  return { digits, groups, qr: `ghostwire-sn:1:${digits}` };
}

/** Largest content one direct frame carries; longer content is split into parts (direct-parts.ts). */
export const MAX_DIRECT_CONTENT_BYTES = DIRECT_FRAME_BYTES - IV_BYTES - TAG_BYTES - PAD_HEADER_BYTES;

/** Seals content into IV ‖ AES-256-GCM(u32 length ‖ content ‖ zeros), exactly DIRECT_FRAME_BYTES in all. */
export async function sealDirect(k: Pick<DirectKeys, 'key' | 'aad'>, content: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (content.length > MAX_DIRECT_CONTENT_BYTES) throw new RangeError(`content of ${content.length} bytes exceeds ${MAX_DIRECT_CONTENT_BYTES}: split it`);
  const padded = new Uint8Array(DIRECT_FRAME_BYTES - IV_BYTES - TAG_BYTES);
  new DataView(padded.buffer).setUint32(0, content.length);
  padded.set(content, PAD_HEADER_BYTES);
  const iv = randomBytes(IV_BYTES);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: k.aad, tagLength: TAG_BYTES * 8 }, k.key, padded));
  padded.fill(0);
  return concatBytes(iv, ct);
}

/** Opens a direct frame; throws if it is not exactly DIRECT_FRAME_BYTES, or was tampered with or sealed for another session. */
export async function openDirect(k: Pick<DirectKeys, 'key' | 'aad'>, frame: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (frame.length !== DIRECT_FRAME_BYTES) throw new Error('direct frame has a size no sender uses');
  const padded = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: frame.slice(0, IV_BYTES), additionalData: k.aad, tagLength: TAG_BYTES * 8 }, k.key, frame.slice(IV_BYTES)),
  );
  const len = new DataView(padded.buffer).getUint32(0);
  if (len > padded.length - PAD_HEADER_BYTES) throw new Error('bad padding');
  const content = padded.slice(PAD_HEADER_BYTES, PAD_HEADER_BYTES + len);
  padded.fill(0);
  return content;
}
