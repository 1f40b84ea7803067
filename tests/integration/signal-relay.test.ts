import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { directRoomId, generateEphemeral, newDirectSecret } from '../../protocol/src/crypto/direct.js';
import { DIRECT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { iceResponseSchema } from '../../protocol/src/messages/signal-ice.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SignalSocket } from '../support/signal-socket.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const sealedLike = (bytes = DIRECT_FRAME_BYTES) => toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));

async function joined(base: string, room: string): Promise<SignalSocket> {
  const s = await SignalSocket.open(base);
  s.send({ v: PROTOCOL_VERSION, type: 'join', room });
  await s.next('joined');
  return s;
}

describe('/signal (real relay process, real sockets)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 'test-turn-secret-0123456789', STUN_URLS: 'stun:127.0.0.1:3478' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('relays keys, confirmations and sealed frames between the two peers of a direct room, and reflects a leave', async () => {
    const room = await directRoomId(newDirectSecret());
    const a = await joined(relay.url, room);
    expect(a.received[0]).toMatchObject({ type: 'joined', room, peer: false });
    const b = await joined(relay.url, room);
    expect(b.received[0]).toMatchObject({ type: 'joined', room, peer: true });
    await a.next('peer', (p) => p.event === 'join');

    const key = toBase64url((await generateEphemeral()).pub);
    b.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key, extra: 'dropped by the relay' });
    expect(await a.next('key')).toEqual({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key });
    const mac = toBase64url(new Uint8Array(32).fill(7));
    a.send({ v: PROTOCOL_VERSION, type: 'confirm', mac });
    expect((await b.next('confirm')).mac).toBe(mac);
    const rtc = sealedLike();
    a.send({ v: PROTOCOL_VERSION, type: 'rtc', data: rtc });
    expect((await b.next('rtc')).data).toBe(rtc);
    const data = sealedLike();
    b.send({ v: PROTOCOL_VERSION, type: 'data', data });
    expect((await a.next('data')).data).toBe(data);
    // Nothing comes back to its sender.
    expect(b.received.some((m) => m.type === 'key')).toBe(false);

    b.close();
    await a.next('peer', (p) => p.event === 'leave');
    a.send({ v: PROTOCOL_VERSION, type: 'data', data });
    expect(await a.next('error')).toMatchObject({ code: 'no_peer' });
    expect(a.closed).toBeNull();
    a.close();
  });

  it('refuses a third peer with room_full and close code 4409, and the two keep talking', async () => {
    const room = await directRoomId(newDirectSecret());
    const a = await joined(relay.url, room);
    const b = await joined(relay.url, room);
    const c = await SignalSocket.open(relay.url);
    c.send({ v: PROTOCOL_VERSION, type: 'join', room });
    expect(await c.next('error')).toMatchObject({ code: 'room_full' });
    expect((await c.waitClosed()).code).toBe(4409);
    a.send({ v: PROTOCOL_VERSION, type: 'confirm', mac: toBase64url(new Uint8Array(32)) });
    await b.next('confirm');
    expect(a.received.some((m) => m.type === 'peer' && m.event === 'leave')).toBe(false);
    a.close();
    b.close();
  });

  it('answers malformed frames with typed errors and named close codes', async () => {
    const cases: Array<{ send: unknown; code: string; close: number | null }> = [
      { send: '{not json', code: 'invalid_json', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'teleport' }, code: 'unknown_type', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'join', room: 'short' }, code: 'bad_request', close: 4400 },
      // A client of the previous or the next protocol version is told which it is talking to.
      { send: { v: PROTOCOL_VERSION - 1, type: 'stranger' }, code: 'unsupported_version', close: 4400 },
      { send: { v: PROTOCOL_VERSION + 1, type: 'stranger' }, code: 'unsupported_version', close: 4400 },
      { send: { v: '2', type: 'stranger' }, code: 'bad_request', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: 'AAAA' }, code: 'bad_request', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'key', alg: 'X448', pub: toBase64url(new Uint8Array(97)) }, code: 'bad_request', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'rtc', data: toBase64url(new Uint8Array(4000)) }, code: 'bad_request', close: 4400 },
      // Direct frames have one size: a two-unit frame (what long messages used to be) is refused too.
      { send: { v: PROTOCOL_VERSION, type: 'data', data: toBase64url(new Uint8Array(2 * DIRECT_FRAME_BYTES)) }, code: 'bad_request', close: 4400 },
      { send: { v: PROTOCOL_VERSION, type: 'confirm', mac: toBase64url(new Uint8Array(32)) }, code: 'not_joined', close: null },
    ];
    for (const c of cases) {
      const s = await SignalSocket.open(relay.url);
      s.send(c.send);
      const err = await s.next('error');
      expect(err.code, JSON.stringify(c.send).slice(0, 80)).toBe(c.code);
      expect(err.message.length).toBeGreaterThan(10);
      if (c.close === null) {
        await new Promise((r) => setTimeout(r, 100));
        expect(s.closed).toBeNull();
        s.close();
      } else {
        expect((await s.waitClosed()).code).toBe(c.close);
      }
    }
    const twice = await joined(relay.url, await directRoomId(newDirectSecret()));
    twice.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    expect(await twice.next('error')).toMatchObject({ code: 'bad_request' });
    expect((await twice.waitClosed()).code).toBe(4400);
    const binary = await SignalSocket.open(relay.url);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect((await binary.waitClosed()).code).toBe(4400);
  });

  it('closes a socket whose Origin is not allowed with 4403', async () => {
    const s = await SignalSocket.open(relay.url, { origin: 'https://evil.example' });
    expect(await s.next('error')).toMatchObject({ code: 'forbidden_origin' });
    expect((await s.waitClosed()).code).toBe(4403);
  });

  it('pairs two strangers and relays between them', async () => {
    const a = await SignalSocket.open(relay.url);
    a.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    await a.next('waiting');
    const b = await SignalSocket.open(relay.url);
    b.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    const jb = await b.next('joined');
    const ja = await a.next('joined');
    expect(ja.room).toBe(jb.room);
    expect(ja.peer && jb.peer).toBe(true);
    const key = toBase64url((await generateEphemeral()).pub);
    a.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key });
    expect((await b.next('key')).pub).toBe(key);
    a.close();
    await b.next('peer', (p) => p.event === 'leave');
    b.close();
  });

  it('limits the rate of messages per socket with 4429', async () => {
    const s = await SignalSocket.open(relay.url);
    s.send({ v: PROTOCOL_VERSION, type: 'join', room: await directRoomId(newDirectSecret()) });
    for (let i = 0; i < 200 && !s.closed; i++) s.send({ v: PROTOCOL_VERSION, type: 'confirm', mac: toBase64url(new Uint8Array(32)) });
    expect((await s.waitClosed()).code).toBe(4429);
    expect(s.received.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
  });

  it('serves GET /api/ice with STUN and a TURN REST credential', async () => {
    const res = await fetch(`${relay.url}/api/ice`);
    expect(res.status).toBe(200);
    const body = iceResponseSchema.parse(await res.json());
    expect(body.turn).toBe(true);
    const turn = body.iceServers.find((s) => s.urls[0]?.startsWith('turn:'));
    const [expiry] = turn!.username!.split(':');
    expect(Number(expiry) * 1000).toBe(body.expiresAt);
    expect(body.expiresAt! - Date.now()).toBeGreaterThan(590_000);
    expect(body.expiresAt! - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it('answers a plain GET /signal with 426', async () => {
    expect((await fetch(`${relay.url}/signal`)).status).toBe(426);
  });
});

describe('/signal TTL (relay with SIGNAL_TTL_SECONDS=1)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ SIGNAL_TTL_SECONDS: '1' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('forgets a direct room and a stranger wait when the TTL ends, closing with 4404', async () => {
    const room = await directRoomId(newDirectSecret());
    const a = await joined(relay.url, room);
    const b = await joined(relay.url, room);
    const lonely = await SignalSocket.open(relay.url);
    lonely.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    await lonely.next('waiting');
    for (const s of [a, b, lonely]) {
      expect((await s.waitClosed(5000)).code).toBe(4404);
      expect(s.received.some((m) => m.type === 'error' && m.code === 'room_not_found')).toBe(true);
    }
    // The room was forgotten: two new peers fit in it again.
    const c = await joined(relay.url, room);
    const d = await joined(relay.url, room);
    expect(d.received[0]).toMatchObject({ type: 'joined', peer: true });
    c.close();
    d.close();
  });
});
