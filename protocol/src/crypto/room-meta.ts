/**
 * A room's `meta` (opaque to the relay, base64url, ROOM_META_MAX_CHARS):
 *
 * - Private room: `0x01 ‖ IV ‖ AES-256-GCM(content key, len ‖ name ‖ zero fill)`.
 *   The name is padded to ROOM_NAME_PADDED_BYTES so its length does not show,
 *   and sealed with its own associated data so a chat frame can never pass
 *   for a name or the other way round. Only members (who hold S) read it.
 * - Public room: `0x02 ‖ S ‖ name` in clear. A public room is not private:
 *   whoever reads the lobby (the relay included) holds its secret, derives its
 *   keys and can read its messages. The UI says so wherever it offers one.
 */
import { PROTOCOL_VERSION } from '../version.js';
import { IV_BYTES, ROOM_NAME_MAX_BYTES, ROOM_SECRET_BYTES } from '../limits.js';
import { concatBytes, fromBase64url, fromUtf8, randomBytes, toBase64url, utf8 } from './bytes.js';
import { deriveRoomKeys, type RoomKeys } from './derive.js';
import { neutraliseText } from '../display-text.js';

const ROOM_NAME_PADDED_BYTES = 64;
const PRIVATE = 0x01;
const PUBLIC = 0x02;

const nameAad = (roomId: string) => utf8(`ghostwire/v${PROTOCOL_VERSION}/room-name/${roomId}`);

function nameBytes(name: string): Uint8Array<ArrayBuffer> {
  const b = utf8(neutraliseText(name).trim());
  if (b.length === 0) throw new Error('A room name needs at least one character.');
  if (b.length > ROOM_NAME_MAX_BYTES) throw new Error(`A room name is at most ${ROOM_NAME_MAX_BYTES} bytes.`);
  return b;
}

/** A name as read from a meta: bidi controls and invisible characters removed (an empty result is no name). */
function readName(bytes: Uint8Array): string | null {
  return neutraliseText(fromUtf8(bytes)).trim() || null;
}

/** The meta of a private room: its name sealed under the content key. */
export async function sealRoomName(keys: RoomKeys, name: string): Promise<string> {
  const b = nameBytes(name);
  const padded = new Uint8Array(ROOM_NAME_PADDED_BYTES);
  padded[0] = b.length;
  padded.set(b, 1);
  const iv = randomBytes(IV_BYTES);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: nameAad(keys.roomId) }, keys.contentKey, padded));
  padded.fill(0);
  return toBase64url(concatBytes(Uint8Array.of(PRIVATE), iv, ct));
}

/** The meta of a public room: its secret and name, readable by anyone. */
export function publicRoomMeta(secret: Uint8Array, name: string): string {
  if (secret.length !== ROOM_SECRET_BYTES) throw new Error(`room secret must be ${ROOM_SECRET_BYTES} bytes`);
  return toBase64url(concatBytes(Uint8Array.of(PUBLIC), secret, nameBytes(name)));
}

/** A private room's name, or null when the meta is not one this room's key sealed. */
export async function openRoomName(keys: RoomKeys, meta: string): Promise<string | null> {
  try {
    const b = fromBase64url(meta);
    if (b[0] === PUBLIC) return (await readPublicRoomMeta(meta, keys.roomId))?.name ?? null;
    if (b[0] !== PRIVATE) return null;
    const padded = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: b.slice(1, 1 + IV_BYTES), additionalData: nameAad(keys.roomId) }, keys.contentKey, b.slice(1 + IV_BYTES)),
    );
    const len = padded[0]!;
    return len > 0 && len <= ROOM_NAME_MAX_BYTES ? readName(padded.subarray(1, 1 + len)) : null;
  } catch {
    return null;
  }
}

/**
 * A lobby entry's secret and name, or null unless the meta is a public room's
 * and its secret really derives `roomId` (so a lobby cannot send you to a
 * room other than the one it lists).
 */
export async function readPublicRoomMeta(meta: string, roomId: string): Promise<{ secret: Uint8Array<ArrayBuffer>; name: string } | null> {
  try {
    const b = fromBase64url(meta);
    if (b[0] !== PUBLIC || b.length <= 1 + ROOM_SECRET_BYTES) return null;
    const secret = b.slice(1, 1 + ROOM_SECRET_BYTES);
    // The limit holds when reading too: a hostile creator's meta can be longer than any honest app writes.
    if (b.length - 1 - ROOM_SECRET_BYTES > ROOM_NAME_MAX_BYTES) return null;
    const name = readName(b.subarray(1 + ROOM_SECRET_BYTES));
    if (!name || (await deriveRoomKeys(secret)).roomId !== roomId) return null;
    return { secret, name };
  } catch {
    return null;
  }
}

/** Whether a room's meta marks it public (its secret in clear), without checking it. */
export function isPublicRoomMeta(meta: string): boolean {
  try {
    return fromBase64url(meta.slice(0, 4))[0] === PUBLIC;
  } catch {
    return false;
  }
}
