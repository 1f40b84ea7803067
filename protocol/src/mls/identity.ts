import {
  defaultCapabilities,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type KeyPackage,
  type LeafNode,
  type PrivateKeyPackage,
} from 'ts-mls';
import { fromUtf8, utf8 } from '../crypto/bytes.js';
import { suiteImpl } from './suite.js';

/** Version byte of the identity encoding inside an MLS basic credential. */
const IDENTITY_V1 = 1;
/** Longest member id, in UTF-8 bytes (one length byte). */
const MAX_MEMBER_ID_BYTES = 255;
/** Longest handle key (two length bytes; an SPKI of P-256 or Ed25519 is far below). */
const MAX_HANDLE_KEY_BYTES = 1024;
/** A key package is valid from an hour ago (clock skew) to a week ahead: rooms are ephemeral. */
const LIFETIME_BACK_S = 3600n;
const LIFETIME_AHEAD_S = 7n * 24n * 3600n;

/** What a leaf's basic credential says: the relay member id and the key its handle derives from. */
export interface MlsIdentity {
  memberId: string;
  /** Public key the member's handle and colour derive from (the leaf's Ed25519 key unless given). */
  handleKey: Uint8Array;
}

/** One member's leaf before it joins: the public key package to send and the private keys to keep. */
export interface MlsMember extends MlsIdentity {
  keyPackage: KeyPackage;
  privatePackage: PrivateKeyPackage;
  /** The key package as an MLSMessage (RFC 9420 §6), what a join request seals. */
  keyPackageBytes: Uint8Array;
}

/** Encodes an identity: version ‖ u8 len ‖ member id (UTF-8) ‖ u16 len ‖ handle key. */
export function encodeIdentity({ memberId, handleKey }: MlsIdentity): Uint8Array {
  const id = utf8(memberId);
  if (id.length === 0 || id.length > MAX_MEMBER_ID_BYTES) throw new Error('member id must be 1–255 UTF-8 bytes');
  if (handleKey.length > MAX_HANDLE_KEY_BYTES) throw new Error('handle key too long');
  const out = new Uint8Array(1 + 1 + id.length + 2 + handleKey.length);
  out[0] = IDENTITY_V1;
  out[1] = id.length;
  out.set(id, 2);
  new DataView(out.buffer).setUint16(2 + id.length, handleKey.length);
  out.set(handleKey, 4 + id.length);
  return out;
}

/** Parses an identity; undefined for anything not exactly one well-formed v1 encoding. */
export function parseIdentity(bytes: Uint8Array): MlsIdentity | undefined {
  if (bytes.length < 4 || bytes[0] !== IDENTITY_V1) return undefined;
  const idLen = bytes[1] ?? 0;
  if (idLen === 0 || bytes.length < 4 + idLen) return undefined;
  const keyLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(2 + idLen);
  if (bytes.length !== 4 + idLen + keyLen) return undefined;
  try {
    return { memberId: fromUtf8(bytes.subarray(2, 2 + idLen)), handleKey: bytes.slice(4 + idLen) };
  } catch {
    return undefined; // not UTF-8
  }
}

/** The identity in a leaf node's credential, if it is one of ours. */
export function leafIdentity(leaf: LeafNode): MlsIdentity | undefined {
  return leaf.credential.credentialType === 'basic' ? parseIdentity(leaf.credential.identity) : undefined;
}

/**
 * Creates a per-room leaf: a fresh Ed25519 signature key and a key package
 * whose basic credential names `memberId` and the handle key. A new leaf per
 * room keeps rooms unlinkable by key.
 */
export async function createMember(memberId: string, handleKey?: Uint8Array): Promise<MlsMember> {
  const cs = await suiteImpl();
  const sig = await cs.signature.keygen();
  const identity: MlsIdentity = { memberId, handleKey: handleKey ?? sig.publicKey };
  const now = BigInt(Math.floor(Date.now() / 1000));
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    { credentialType: 'basic', identity: encodeIdentity(identity) },
    defaultCapabilities(),
    { notBefore: now - LIFETIME_BACK_S, notAfter: now + LIFETIME_AHEAD_S },
    [],
    sig,
    cs,
  );
  const keyPackageBytes = encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: publicPackage });
  return { ...identity, keyPackage: publicPackage, privatePackage, keyPackageBytes };
}
