import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url, toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { open, seal } from '../../protocol/src/crypto/seal.js';
import { base64urlLength } from '../../protocol/src/messages/common.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinToken, joinedSocket, TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

describe('/ws room relay (real process, real sockets)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('fans a sealed frame out to the other member, numbered, and acks the sender', async () => {
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const b = await joinedSocket(relay.url, keys);
    const bJoined = await a.next('presence', (p) => p.event === 'join');
    const sealed = await seal(keys.contentKey, keys.roomId, utf8('{"hello":"b"}'));
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 7, data: toBase64url(sealed) });
    const got = await b.next('frame');
    expect(got.from).toBe(bJoined.member === got.from ? 'never' : got.from);
    expect(new TextDecoder().decode(await open(keys.contentKey, keys.roomId, fromBase64url(got.data)))).toBe('{"hello":"b"}');
    const ack = await a.next('sent');
    expect(ack).toMatchObject({ ref: 7, seq: got.seq, delivered: 1 });
    expect(a.received.some((m) => m.type === 'frame')).toBe(false);
    a.close();
    const left = await b.next('presence', (p) => p.event === 'leave');
    expect(left.member).toBe(got.from);
    b.close();
  });

  it('answers invalid JSON, an unknown type and another protocol version with typed errors and close code 4400, and keeps serving others', async () => {
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const b = await joinedSocket(relay.url, keys);
    const bad = await TestSocket.open(relay.url);
    bad.send('{not json');
    expect(await bad.next('error')).toMatchObject({ code: 'invalid_json' });
    expect((await bad.waitClosed()).code).toBe(4400);

    const unknown = await TestSocket.open(relay.url);
    unknown.send({ v: PROTOCOL_VERSION, type: 'teleport' });
    expect(await unknown.next('error')).toMatchObject({ code: 'unknown_type' });
    expect((await unknown.waitClosed()).code).toBe(4400);

    // A version 1 app (a shell cached before MLS rooms) joining with a valid token: told the version, closed 4400, nothing joined.
    const old = await TestSocket.open(relay.url);
    old.send({ v: 1, type: 'join', token: await joinToken(relay.url, keys) });
    const err = await old.next('error');
    expect(err).toMatchObject({ code: 'unsupported_version' });
    expect(err.message).toContain(`version ${PROTOCOL_VERSION}, not 1`);
    expect((await old.waitClosed()).code).toBe(4400);
    expect(a.received.filter((m) => m.type === 'presence' && m.event === 'join')).toHaveLength(1);

    const sealed = await seal(keys.contentKey, keys.roomId, utf8('still here'));
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: toBase64url(sealed) });
    expect((await b.next('frame')).data).toBe(toBase64url(sealed));
    a.close();
    b.close();
  });

  it('refuses a replayed join token with 4401', async () => {
    const keys = await createRoom(relay.url);
    const token = await joinToken(relay.url, keys);
    const first = await TestSocket.open(relay.url);
    first.send({ v: PROTOCOL_VERSION, type: 'join', token });
    await first.next('joined');
    const replay = await TestSocket.open(relay.url);
    replay.send({ v: PROTOCOL_VERSION, type: 'join', token });
    expect(await replay.next('error')).toMatchObject({ code: 'unauthorized' });
    expect((await replay.waitClosed()).code).toBe(4401);
    first.close();
  });

  it('refuses frames for a room the socket has not joined, without closing it', async () => {
    const keys = await createRoom(relay.url);
    const other = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const sealed = await seal(other.contentKey, other.roomId, utf8('x'));
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: other.roomId, ref: 3, data: toBase64url(sealed) });
    expect(await a.next('error')).toMatchObject({ code: 'not_joined', ref: 3 });
    expect(a.closed).toBeNull();
    a.close();
  });

  it('refuses a malformed frame (wrong size) with bad_request', async () => {
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: 'AAAA' });
    expect(await a.next('error')).toMatchObject({ code: 'bad_request' });
    expect((await a.waitClosed()).code).toBe(4400);
  });

  it('carries chat frames of one size on the wire whatever the text length', async () => {
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const b = await joinedSocket(relay.url, keys);
    for (const [i, text] of ['a', 'x'.repeat(2000)].entries()) {
      const sealed = await seal(keys.contentKey, keys.roomId, utf8(text));
      a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: i, data: toBase64url(sealed) });
    }
    await b.next('frame', (f) => f.seq === 2);
    const frames = b.received.filter((m) => m.type === 'frame');
    expect(frames.map((f) => f.data.length)).toEqual([base64urlLength(CHAT_FRAME_BYTES), base64urlLength(CHAT_FRAME_BYTES)]);
    a.close();
    b.close();
  });
});
