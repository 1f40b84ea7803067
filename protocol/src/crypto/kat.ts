import aesGcm from './vectors/aes-gcm-wycheproof.json';
import ecdhP384 from './vectors/ecdh-p384-wycheproof.json';
import hkdfRfc from './vectors/hkdf-rfc5869.json';
import { concatBytes, fromHex, randomBytes, toHex, utf8 } from './bytes.js';
import { deriveRoomKeys, hkdfSha256, newRoomSecret } from './derive.js';
import { MemberDirectory } from './members.js';
import { sealMessage, newMessageId, RoomInbox, SendCounter } from './room-codec.js';
import { open, seal } from './seal.js';
import { generateSigningIdentity } from './sign.js';

/**
 * The crypto checks that must hold on every platform: known-answer vectors
 * (Wycheproof AES-GCM and ECDH P-384, RFC 5869 HKDF) and the room properties
 * (round trip, tamper, wrong room, cross-room replay, impersonation). The
 * unit tests run them in Node; an e2e test bundles this file and runs it in
 * Chromium, and both assert the same results.
 */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

async function rejects(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch {
    return true;
  }
}

async function aesGcmChecks(): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const t of aesGcm.tests) {
    const key = await crypto.subtle.importKey('raw', fromHex(t.key), 'AES-GCM', false, ['encrypt', 'decrypt']);
    const p = { name: 'AES-GCM', iv: fromHex(t.iv), additionalData: fromHex(t.aad), tagLength: 128 };
    const sealed = concatBytes(fromHex(t.ct), fromHex(t.tag));
    let plain: string | null;
    try {
      plain = toHex(new Uint8Array(await crypto.subtle.decrypt(p, key, sealed)));
    } catch {
      plain = null;
    }
    if (t.result === 'valid') {
      const enc = toHex(new Uint8Array(await crypto.subtle.encrypt(p, key, fromHex(t.msg))));
      out.push({ name: `wycheproof aes-gcm #${t.tcId} valid`, ok: plain === t.msg && enc === t.ct + t.tag });
    } else {
      out.push({ name: `wycheproof aes-gcm #${t.tcId} invalid (${t.comment ?? ''})`, ok: plain === null });
    }
  }
  return out;
}

/** PKCS#8 for a bare P-384 private scalar (RFC 5915 ECPrivateKey without the optional public key). */
function p384Pkcs8(d: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(fromHex('304e020100301006072a8648ce3d020106052b81040022043730350201010430'), d);
}

async function ecdhChecks(): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const t of ecdhP384.tests) {
    const scalar = fromHex(t.private);
    const d = scalar.length === 49 && scalar[0] === 0 ? scalar.subarray(1) : scalar;
    const name = `wycheproof ecdh p-384 #${t.tcId}${'derived' in t ? ' (derived)' : ''} ${t.result}: ${t.comment}`;
    let shared: string | null;
    try {
      const priv = await crypto.subtle.importKey('pkcs8', p384Pkcs8(d), { name: 'ECDH', namedCurve: 'P-384' }, false, ['deriveBits']);
      const pub = await crypto.subtle.importKey('spki', fromHex(t.public), { name: 'ECDH', namedCurve: 'P-384' }, false, []);
      shared = toHex(new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 384)));
    } catch {
      shared = null;
    }
    out.push({ name, ok: t.result === 'valid' ? shared === t.shared : shared === null });
  }
  return out;
}

async function hkdfChecks(): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const t of hkdfRfc.tests) {
    const okm = await hkdfSha256({ ikm: fromHex(t.ikm), salt: fromHex(t.salt), info: fromHex(t.info), length: t.length });
    out.push({ name: `rfc5869 hkdf-sha256 case ${t.case}`, ok: toHex(okm) === t.okm });
  }
  return out;
}

/** Room properties over `rounds` random inputs each. */
async function roomChecks(rounds: number): Promise<CheckResult[]> {
  const a = await deriveRoomKeys(newRoomSecret());
  const b = await deriveRoomKeys(newRoomSecret());
  let roundTrip = true;
  let tamper = true;
  let wrongRoom = true;
  let replay = true;
  for (let i = 0; i < rounds; i++) {
    const content = randomBytes(i * 37);
    const frame = await seal(a.contentKey, a.roomId, content);
    roundTrip &&= toHex(await open(a.contentKey, a.roomId, frame)) === toHex(content);
    const bad = frame.slice();
    const at = (i * 101) % bad.length;
    bad[at] = (bad[at] ?? 0) ^ (1 << i % 8);
    tamper &&= await rejects(open(a.contentKey, a.roomId, bad));
    wrongRoom &&= await rejects(open(a.contentKey, b.roomId, frame));
    replay &&= await rejects(open(b.contentKey, b.roomId, frame));
  }
  return [
    { name: 'seal/open round trip', ok: roundTrip },
    { name: 'tampered frame rejected', ok: tamper },
    { name: 'frame opened as another room rejected', ok: wrongRoom },
    { name: 'frame replayed into another room rejected', ok: replay },
  ];
}

/** Alice, Bob and Mallory in one room: Mallory cannot appear under Alice's handle. */
async function impersonationChecks(): Promise<CheckResult[]> {
  const room = await deriveRoomKeys(newRoomSecret());
  const [alice, mallory] = await Promise.all([generateSigningIdentity(), generateSigningIdentity()]);
  const bob = new RoomInbox(room.contentKey, room.roomId);
  const meta = { k: 'text' as const, body: 'hello', at: 0 };
  const counter = new SendCounter();
  const fromAlice = await sealMessage(room.contentKey, room.roomId, 'member-alice', alice, { messageId: newMessageId(), meta, bucket: 'chat', order: counter.next() });
  const first = await bob.receive('member-alice', fromAlice[0]!);
  const aliceHandle = first.status === 'message' ? first.signer.handle : null;
  // Replay Alice's signed frame as Mallory's own (the relay stamps Mallory's member id on it).
  const replayed = await bob.receive('member-mallory', fromAlice[0]!);
  // Mallory signs with her own key but claims Alice's member id (a lying relay, or a forged `from`).
  const underAlice = await sealMessage(room.contentKey, room.roomId, 'member-alice', mallory, { messageId: newMessageId(), meta, bucket: 'chat', order: counter.next() });
  const keyMismatch = await bob.receive('member-alice', underAlice[0]!);
  // Mallory announces Alice's public key with her own signature.
  const stolenKey = { ...mallory, publicKey: alice.publicKey };
  const withStolen = await sealMessage(room.contentKey, room.roomId, 'member-mallory2', stolenKey, { messageId: newMessageId(), meta, bucket: 'chat', order: counter.next() });
  const stolen = await bob.receive('member-mallory2', withStolen[0]!);
  const dir = new MemberDirectory(room.roomId);
  return [
    { name: 'signed message verifies and shows a Ghost# handle', ok: first.status === 'message' && /^Ghost#[0-9A-Z]{4}(-[0-9A-Z]{4}){2}$/.test(aliceHandle ?? '') },
    { name: "another member replaying Alice's signed frame is rejected", ok: replayed.status === 'forged' && replayed.reason === 'bad-signature' },
    { name: "a different key under Alice's member id is rejected", ok: keyMismatch.status === 'forged' && keyMismatch.reason === 'key-mismatch' },
    { name: "Alice's public key without her private key is rejected", ok: stolen.status === 'forged' && stolen.reason === 'bad-signature' },
    { name: 'a malformed envelope is not accepted', ok: !(await dir.verify('m', utf8('not an envelope'))).ok },
  ];
}

/** Runs every check; `rounds` sets how many random inputs the property checks use. */
export async function runCryptoChecks(rounds = 24): Promise<CheckResult[]> {
  return [...(await aesGcmChecks()), ...(await ecdhChecks()), ...(await hkdfChecks()), ...(await roomChecks(rounds)), ...(await impersonationChecks())];
}
