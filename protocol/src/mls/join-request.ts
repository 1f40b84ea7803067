import { decodeMlsMessage, type KeyPackage } from 'ts-mls';
import { concatBytes, randomBytes, utf8 } from '../crypto/bytes.js';
import { JOIN_REQUEST_AAD } from '../crypto/labels.js';
import { parseIdentity } from './identity.js';

const NONCE_BYTES = 12;

/** label ‖ u16 len ‖ room id ‖ u16 len ‖ member id: length-prefixed, so no two (room, member) pairs share an AAD. */
function aad(roomId: string, memberId: string): Uint8Array<ArrayBuffer> {
  const parts = [utf8(roomId), utf8(memberId)].map((p) => {
    const len = new Uint8Array(2);
    new DataView(len.buffer).setUint16(0, p.length);
    return concatBytes(len, p);
  });
  return concatBytes(utf8(JOIN_REQUEST_AAD), ...parts);
}

/**
 * Seals a joiner's key package under the invite key (derived from the room
 * secret S): nonce ‖ AES-256-GCM ciphertext. Members add only what opens, so
 * a relay that knows no S cannot slip its own leaf into the group.
 */
export async function sealJoinRequest(inviteKey: CryptoKey, roomId: string, memberId: string, keyPackageBytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const iv = randomBytes(NONCE_BYTES);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(roomId, memberId) }, inviteKey, new Uint8Array(keyPackageBytes));
  return concatBytes(iv, new Uint8Array(ct));
}

/**
 * Opens a join request from `memberId` (the id the relay says sent it).
 * Undefined if it does not open under the invite key for this room and member,
 * or if the key package inside names another member id.
 */
export async function openJoinRequest(inviteKey: CryptoKey, roomId: string, memberId: string, sealed: Uint8Array): Promise<KeyPackage | undefined> {
  if (sealed.length <= NONCE_BYTES) return undefined;
  let plain: Uint8Array;
  try {
    const iv = sealed.slice(0, NONCE_BYTES);
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad(roomId, memberId) }, inviteKey, sealed.slice(NONCE_BYTES)));
  } catch {
    return undefined;
  }
  const decoded = decodeMlsMessage(plain, 0);
  if (decoded?.[0].wireformat !== 'mls_key_package' || decoded[1] !== plain.length) return undefined;
  const kp = decoded[0].keyPackage;
  const cred = kp.leafNode.credential;
  if (cred.credentialType !== 'basic' || parseIdentity(cred.identity)?.memberId !== memberId) return undefined;
  return kp;
}
