import { CHAT_FRAME_BYTES, IV_BYTES, MEDIA_FRAME_BYTES, PAD_HEADER_BYTES, TAG_BYTES } from '../limits.js';
import { PROTOCOL_VERSION } from '../version.js';
import { utf8 } from './bytes.js';

export type Bucket = 'chat' | 'media';
const BUCKET_BYTES: Record<Bucket, number> = { chat: CHAT_FRAME_BYTES, media: MEDIA_FRAME_BYTES };

/** Largest content that fits one sealed frame of a bucket. */
export const maxContentBytes = (bucket: Bucket): number =>
  BUCKET_BYTES[bucket] - IV_BYTES - TAG_BYTES - PAD_HEADER_BYTES;

/** Associated data binds a frame to its room and protocol version, so it cannot be replayed elsewhere. */
export const frameAad = (roomId: string): Uint8Array<ArrayBuffer> => utf8(`ghostwire/v${PROTOCOL_VERSION}/room/${roomId}`);

/** The last room's AAD, encoded once rather than per frame (a room id is public: nothing secret is kept). */
let lastAad: { roomId: string; aad: Uint8Array<ArrayBuffer> } | null = null;
function aadFor(roomId: string): Uint8Array<ArrayBuffer> {
  if (lastAad?.roomId !== roomId) lastAad = { roomId, aad: frameAad(roomId) };
  return lastAad.aad;
}

/** Pads content to the bucket: u32 length, content, zeros. */
export function pad(content: Uint8Array, bucket: Bucket): Uint8Array<ArrayBuffer> {
  const max = maxContentBytes(bucket);
  if (content.length > max) throw new RangeError(`content of ${content.length} bytes exceeds ${max}`);
  const out = new Uint8Array(max + PAD_HEADER_BYTES);
  new DataView(out.buffer).setUint32(0, content.length);
  out.set(content, PAD_HEADER_BYTES);
  return out;
}

export function unpad(padded: Uint8Array): Uint8Array<ArrayBuffer> {
  const len = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (len > padded.length - PAD_HEADER_BYTES) throw new Error('bad padding');
  return padded.slice(PAD_HEADER_BYTES, PAD_HEADER_BYTES + len);
}

/** Encrypts content into a fixed-size frame: IV ‖ AES-256-GCM(pad(content)). One subtle call; the IV is drawn in place. */
export async function seal(key: CryptoKey, roomId: string, content: Uint8Array, bucket: Bucket = 'chat'): Promise<Uint8Array<ArrayBuffer>> {
  const padded = pad(content, bucket);
  const out = new Uint8Array(IV_BYTES + padded.length + TAG_BYTES);
  const iv = out.subarray(0, IV_BYTES);
  crypto.getRandomValues(iv);
  try {
    out.set(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadFor(roomId), tagLength: TAG_BYTES * 8 }, key, padded)), IV_BYTES);
  } finally {
    padded.fill(0);
  }
  return out;
}

/** Decrypts and unpads a frame; throws if it was tampered with or sealed for another room. One subtle call, no copy of the frame. */
export async function open(key: CryptoKey, roomId: string, frame: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (frame.length !== CHAT_FRAME_BYTES && frame.length !== MEDIA_FRAME_BYTES) throw new Error('frame has a size no bucket uses');
  const padded = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: frame.subarray(0, IV_BYTES), additionalData: aadFor(roomId), tagLength: TAG_BYTES * 8 }, key, frame.subarray(IV_BYTES)),
  );
  const content = unpad(padded);
  padded.fill(0);
  return content;
}
