import { ACCESS_KEY_BYTES, ROOM_ID_BYTES, ROOM_SECRET_BYTES } from '../limits.js';
import { randomBytes, sha256, toBase64url, utf8 } from './bytes.js';
import { HKDF_SALT, Label } from './labels.js';

export interface RoomKeys {
  /** Public handle of the room on the relay (base64url, 128 bits). */
  roomId: string;
  /** The join capability, shown to the relay only when asking for a join token. */
  accessKey: Uint8Array<ArrayBuffer>;
  /** SHA-256 of the access key, base64url: what the relay stores. */
  accessKeyHash: string;
  /** AES-256-GCM content key, non-extractable: never leaves this process. */
  contentKey: CryptoKey;
}

/** Draws a fresh 256-bit room secret S. */
export const newRoomSecret = (): Uint8Array<ArrayBuffer> => randomBytes(ROOM_SECRET_BYTES);

async function hkdfBits(ikm: CryptoKey, label: string, bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(label) },
    ikm,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

export interface HkdfParams {
  ikm: Uint8Array<ArrayBuffer>;
  salt: Uint8Array<ArrayBuffer>;
  info: Uint8Array<ArrayBuffer>;
  /** Output length in bytes (at most 255 × 32, RFC 5869 §2.3). */
  length: number;
}

/** HKDF-SHA-256 (RFC 5869) with every input explicit: what the known-answer tests and direct mode call. */
export async function hkdfSha256({ ikm, salt, info, length }: HkdfParams): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8));
}

/** HKDF-SHA-256 of S under one label with the room salt: exported for tests and key-separation checks. */
export async function hkdf(secret: Uint8Array<ArrayBuffer>, label: string, bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  return hkdfSha256({ ikm: secret, salt: utf8(HKDF_SALT), info: utf8(label), length: bytes });
}

/** Derives the room id, access key and content key from the room secret S (DESIGN §4). */
export async function deriveRoomKeys(secret: Uint8Array<ArrayBuffer>): Promise<RoomKeys> {
  if (secret.length !== ROOM_SECRET_BYTES) throw new Error(`room secret must be ${ROOM_SECRET_BYTES} bytes`);
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const roomId = toBase64url(await hkdfBits(ikm, Label.RoomId, ROOM_ID_BYTES));
  const accessKey = await hkdfBits(ikm, Label.AccessKey, ACCESS_KEY_BYTES);
  const accessKeyHash = toBase64url(await sha256(accessKey));
  const contentKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(Label.ContentKey) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { roomId, accessKey, accessKeyHash, contentKey };
}

/**
 * Derives the invite key from the room secret S: a non-extractable AES-256-GCM
 * key under its own label, so it reveals nothing about the content key.
 */
export async function deriveInviteKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (secret.length !== ROOM_SECRET_BYTES) throw new Error(`room secret must be ${ROOM_SECRET_BYTES} bytes`);
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HKDF_SALT), info: utf8(Label.InviteKey) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
