import { describe, expect, it } from 'vitest';
import { deriveRoomKeys, newRoomSecret } from './derive.js';
import { parseEnvelope, sealEnvelope } from './envelope.js';
import { labelForKey, labelFromFingerprint } from './fingerprint.js';
import { MemberDirectory } from './members.js';
import { newMessageId, RoomInbox, sealMessage, SendCounter } from './room-codec.js';
import { generateSigningIdentity, SignatureAlg } from './sign.js';
import { utf8 } from './bytes.js';

const meta = (body: string) => ({ k: 'text' as const, body, at: 1 });
const counter = new SendCounter();

describe('a sender cannot appear under another member’s handle', () => {
  it('binds the first verified key to a member id and rejects every way of wearing it', async () => {
    const room = await deriveRoomKeys(newRoomSecret());
    const [alice, mallory] = await Promise.all([generateSigningIdentity(), generateSigningIdentity()]);
    const bob = new RoomInbox(room.contentKey, room.roomId);
    const send = async (memberId: string, id = alice, body = 'hi') =>
      (await sealMessage(room.contentKey, room.roomId, memberId, id, { messageId: newMessageId(), meta: meta(body), bucket: 'chat', order: counter.next() }))[0]!;

    const fromAlice = await send('A');
    const ok = await bob.receive('A', fromAlice);
    expect(ok.status).toBe('message');
    const aliceLabel = await labelForKey(alice.publicKey);
    expect(ok.status === 'message' && ok.signer).toMatchObject({ memberId: 'A', handle: aliceLabel.handle, colour: aliceLabel.colour });

    // 1. Mallory replays Alice's sealed, signed frame as her own: the relay labels it with Mallory's id.
    expect(await bob.receive('M', fromAlice)).toEqual({ status: 'forged', memberId: 'M', reason: 'bad-signature' });
    // 2. Mallory copies Alice's public key into her envelope but can only sign with her own private key.
    const stolen = await send('M', { ...mallory, publicKey: alice.publicKey }, 'I am Alice');
    expect(await bob.receive('M', stolen)).toEqual({ status: 'forged', memberId: 'M', reason: 'bad-signature' });
    // 3. A frame under Alice's member id signed by another key (a lying relay, or a forged `from`).
    expect(await bob.receive('A', await send('A', mallory))).toEqual({ status: 'forged', memberId: 'A', reason: 'key-mismatch' });
    // 4. A bit flipped in the signature of an otherwise valid frame, re-sealed with the room key.
    const env = await sealEnvelope(alice, room.roomId, 'A', utf8('x'));
    const parsed = parseEnvelope(env)!;
    expect(parsed.alg).toBe(SignatureAlg.EcdsaP256);
    const sigAt = 4 + parsed.publicKey.length + 2;
    env[sigAt] = (env[sigAt] ?? 0) ^ 1;
    expect((await new MemberDirectory(room.roomId).verify('A', env)).ok).toBe(false);

    // Mallory's own messages still work, under her own handle, which differs from Alice's.
    const own = await bob.receive('M2', await send('M2', mallory, 'hello'));
    expect(own.status === 'message' && own.signer.handle).toBe((await labelForKey(mallory.publicKey)).handle);
    expect(own.status === 'message' && own.signer.fingerprint).not.toBe(aliceLabel.fingerprint);
    // After all that, Alice's member id is still bound to Alice.
    expect(bob.members.labelOf('A')?.fingerprint).toBe(aliceLabel.fingerprint);
  });

  it('signatures are bound to the room: a frame signed for one room does not verify in another with the same key', async () => {
    const alice = await generateSigningIdentity();
    const env = await sealEnvelope(alice, 'room-one', 'A', utf8('hello'));
    expect((await new MemberDirectory('room-one').verify('A', env)).ok).toBe(true);
    expect((await new MemberDirectory('room-two').verify('A', env)).ok).toBe(false);
  });

  it('our own key is bound to our member id first', async () => {
    const [me, other] = await Promise.all([generateSigningIdentity(), generateSigningIdentity()]);
    const dir = new MemberDirectory('r');
    await dir.bindSelf('ME', me.alg, me.publicKey);
    const fake = await sealEnvelope(other, 'r', 'ME', utf8('x'));
    expect(await dir.verify('ME', fake)).toEqual({ ok: false, reason: 'key-mismatch' });
  });
});

describe('handles and colours', () => {
  it('derive from the key fingerprint deterministically', async () => {
    const id = await generateSigningIdentity();
    const a = await labelForKey(id.publicKey);
    expect(a).toEqual(await labelForKey(new Uint8Array(id.publicKey)));
    expect(a.handle).toMatch(/^Ghost#[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$/);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(labelFromFingerprint(new Uint8Array(32)).handle).toBe('Ghost#0000-0000-0000');
    expect(labelFromFingerprint(new Uint8Array(32).fill(0xff)).handle).toBe('Ghost#ZZZZ-ZZZZ-ZZZZ');
    expect(labelFromFingerprint(new Uint8Array([0, 0, 0x10, 1, 0x68, 0, 0, 0, 0, 0, 0x01, 0x68])).hue).toBe(0x0168 % 360);
  });

  it('supports Ed25519 where available and falls back to P-256 otherwise', async () => {
    const id = await generateSigningIdentity('Ed25519');
    expect([SignatureAlg.Ed25519, SignatureAlg.EcdsaP256]).toContain(id.alg);
    const env = await sealEnvelope(id, 'r', 'A', utf8('x'));
    expect((await new MemberDirectory('r').verify('A', env)).ok).toBe(true);
    expect(id.privateKey.extractable).toBe(false);
  });
});
