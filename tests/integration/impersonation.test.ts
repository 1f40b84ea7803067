import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys } from '../../protocol/src/crypto/derive.js';
import { parseEnvelope } from '../../protocol/src/crypto/envelope.js';
import { labelForKey } from '../../protocol/src/crypto/fingerprint.js';
import { newMessageId, sealMessage, SendCounter } from '../../protocol/src/crypto/room-codec.js';
import { open } from '../../protocol/src/crypto/seal.js';
import { generateSigningIdentity } from '../../protocol/src/crypto/sign.js';
import type { WebSocketCtor } from '../../web/src/net/relay-client.js';
import { GhostSession } from '../../web/src/models/ghost.js';
import { RoomSession } from '../../web/src/models/room.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { joinedSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Alice and Bob run the real RoomSession (the PWA's model) over the real
 * relay; Mallory is a member of the same room (she has the invite link, so
 * the room key) driving a raw socket with her own signing key.
 */
describe('a room member cannot make a message appear under another member’s handle (real relay)', () => {
  let relay: RelayProcess;
  const sessions: RoomSession[] = [];
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    for (const s of sessions) s.wipe();
    await relay?.stop();
  });

  it('rejects and flags replayed, re-signed and key-stealing frames; shows Mallory only as herself', async () => {
    // Alice and Bob are two ghosts, each with its own proof of work and session, as two browsers would be.
    const envFor = () => {
      let ghost: Promise<GhostSession> | undefined;
      return { origin: relay.url, WebSocket: WebSocket as unknown as WebSocketCtor, ghost: () => (ghost ??= GhostSession.create(relay.url)) };
    };
    const alice = await RoomSession.create(envFor());
    sessions.push(alice);
    const bob = await RoomSession.join(alice.link.split('#')[1]!, envFor());
    sessions.push(bob);
    await until(() => alice.me.value !== null && bob.me.value !== null && alice.self.value !== null);
    const aliceHandle = alice.self.value!.handle;

    const keys = await deriveRoomKeys(fromBase64url(alice.link.split('#')[1]!));
    const mallorySocket = await joinedSocket(relay.url, keys);
    const malloryId = mallorySocket.received.find((m) => m.type === 'joined')!.member;
    const mallory = await generateSigningIdentity();
    const counter = new SendCounter();
    const malloryHandle = (await labelForKey(mallory.publicKey)).handle;
    expect(malloryHandle).not.toBe(aliceHandle);

    await alice.send('the real alice');
    await until(() => bob.messages.value.some((m) => m.body === 'the real alice'));
    expect(bob.messages.value.find((m) => m.body === 'the real alice')).toMatchObject({ handle: aliceHandle, from: alice.me.value });

    // 1. Mallory replays Alice's frame byte for byte as her own.
    const aliceFrame = await mallorySocket.next('frame', (f) => f.from === alice.me.value);
    mallorySocket.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: aliceFrame.data });
    await until(() => bob.forgeries.value === 1);

    // 2. Mallory lifts Alice's public key from that frame's envelope and puts it in hers, signing with her own private key.
    const alicePublicKey = parseEnvelope(await open(keys.contentKey, keys.roomId, fromBase64url(aliceFrame.data)))!.publicKey;
    expect((await labelForKey(alicePublicKey)).handle).toBe(aliceHandle);
    const stolen = { ...mallory, publicKey: alicePublicKey };
    const forged = await sealMessage(keys.contentKey, keys.roomId, malloryId, stolen, { messageId: newMessageId(), meta: { k: 'text', body: 'I am alice', at: Date.now() }, bucket: 'chat', order: counter.next() });
    mallorySocket.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 2, data: toBase64url(forged[0]!) });
    await until(() => bob.forgeries.value === 2);

    // 3. Mallory speaking as herself works, under her own handle.
    const honest = await sealMessage(keys.contentKey, keys.roomId, malloryId, mallory, { messageId: newMessageId(), meta: { k: 'text', body: 'mallory here', at: Date.now() }, bucket: 'chat', order: counter.next() });
    mallorySocket.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 3, data: toBase64url(honest[0]!) });
    await until(() => bob.messages.value.some((m) => m.body === 'mallory here'));

    // 4. Having spoken with her own key, a frame under her id with any other key is a key mismatch.
    const other = await generateSigningIdentity();
    const swapped = await sealMessage(keys.contentKey, keys.roomId, malloryId, other, { messageId: newMessageId(), meta: { k: 'text', body: 'new me', at: Date.now() }, bucket: 'chat', order: counter.next() });
    mallorySocket.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 4, data: toBase64url(swapped[0]!) });
    await until(() => bob.forgeries.value === 3);

    // A long message spans several chat frames, each signed; Bob reassembles it under Alice's handle.
    const long = '👻 ghost text '.repeat(900);
    await alice.send(long);
    await until(() => bob.messages.value.some((m) => m.body === long.trim()));
    expect(alice.messages.value.at(-1)?.status).toBe('sent');

    // Mallory's join shows as a presence notice with no handle (she has sent
    // nothing valid yet when it appears); what members wrote is everything else.
    expect(bob.messages.value.filter((m) => m.kind === 'notice').map((m) => [m.handle, m.body])).toEqual([['', 'A ghost joined']]);
    const shown = bob.messages.value.filter((m) => m.kind !== 'notice').map((m) => [m.handle, m.body]);
    expect(shown).toEqual([
      [aliceHandle, 'the real alice'],
      [malloryHandle, 'mallory here'],
      [aliceHandle, long.trim()],
    ]);
    // The long message really took several frames on the wire.
    expect(mallorySocket.received.filter((m) => m.type === 'frame' && m.from === alice.me.value).length).toBeGreaterThan(3);
    expect(bob.notice.value).toMatch(/failed its signature check/);
    mallorySocket.close();
  });
});
