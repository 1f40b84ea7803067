import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { MAX_HANDSHAKE_HEADERS, MAX_WS_MESSAGE_BYTES } from '../../protocol/src/limits.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, joinToken, TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** Sends a raw upgrade request with `extra` headers; resolves with the status line and headers. */
function rawUpgrade(port: number, extra: Array<[string, string]>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/ws',
      headers: [
        ['Host', `127.0.0.1:${port}`],
        ['Connection', 'Upgrade'],
        ['Upgrade', 'websocket'],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
        ...extra,
      ].flat(),
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A plain GET with `n` extra tiny header lines; resolves with the status. */
function httpStatus(port: number, path: string, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = ['Host', `127.0.0.1:${port}`];
    for (let i = 0; i < n; i++) headers.push(`x-${i}`, 'v');
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function chatPair(url: string) {
  const keys = await createRoom(url);
  const a = await joinedSocket(url, keys);
  const b = await joinedSocket(url, keys);
  const data = toBase64url(await seal(keys.contentKey, keys.roomId, utf8('ping')));
  /** Sends one frame a → b and resolves when b has it. */
  const roundTrip = async (ref: number) => {
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data });
    await b.next('frame', (f) => f.data === data && b.received.filter((m) => m.type === 'frame').length >= ref);
    return a.next('sent', (s) => s.ref === ref);
  };
  return { keys, a, b, roundTrip };
}

describe('/ws hardening (real relay process)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ ALLOWED_ORIGINS: 'https://app.example', WS_RATE_BURST: '40', WS_RATE_PER_SECOND: '10' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('refuses a foreign Origin on a real upgrade with forbidden_origin and 4403; an allowed one works', async () => {
    const evil = await TestSocket.open(relay.url, { Origin: 'https://evil.example' });
    expect(await evil.next('error')).toMatchObject({ code: 'forbidden_origin' });
    expect((await evil.waitClosed()).code).toBe(4403);
    const keys = await createRoom(relay.url);
    const good = await TestSocket.open(relay.url, { Origin: 'https://app.example' });
    good.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(relay.url, keys) });
    await good.next('joined');
    good.close();
  });

  it('closes with 1009 on a message past MAX_WS_MESSAGE_BYTES and keeps serving the room', async () => {
    const { a, b, roundTrip } = await chatPair(relay.url);
    const big = await TestSocket.open(relay.url);
    big.send('x'.repeat(MAX_WS_MESSAGE_BYTES + 1));
    expect((await big.waitClosed()).code).toBe(1009);
    expect(await roundTrip(1)).toMatchObject({ delivered: 1 });
    a.close();
    b.close();
  });

  it('turns permessage-deflate down in the handshake', async () => {
    const s = await TestSocket.open(relay.url, {}, { perMessageDeflate: true });
    expect(s.ws.extensions).toBe('');
    const res = await rawUpgrade(relay.port, [['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits']]);
    expect(res.status).toBe(101);
    expect(res.headers['sec-websocket-extensions']).toBeUndefined();
    s.close();
  });

  it(`answers an upgrade with more than MAX_HANDSHAKE_HEADERS (${MAX_HANDSHAKE_HEADERS}) header lines, or 2,001, with 431`, async () => {
    const junk = (n: number): Array<[string, string]> => Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']);
    expect((await rawUpgrade(relay.port, junk(10))).status).toBe(101);
    expect((await rawUpgrade(relay.port, junk(MAX_HANDSHAKE_HEADERS))).status).toBe(431);
    expect((await rawUpgrade(relay.port, junk(2001))).status).toBe(431);
    // Node's own cap applies to plain HTTP: past 16 KiB of headers it answers 431 before any route runs.
    const huge = await rawUpgrade(relay.port, Array.from({ length: 2001 }, (_, i) => [`x-header-number-${i}`, 'value-value']));
    expect(huge.status).toBe(431);
    // Plain HTTP too: Node keeps 1,000 headers and drops the rest unseen, so at that cap the relay refuses.
    expect(await httpStatus(relay.port, '/health', 500)).toBe(200);
    expect(await httpStatus(relay.port, '/health', 2001)).toBe(431);
    const { a, b, roundTrip } = await chatPair(relay.url);
    expect(await roundTrip(1)).toMatchObject({ delivered: 1 });
    a.close();
    b.close();
  });

  it('refuses binary messages with bad_request and 4400', async () => {
    const s = await TestSocket.open(relay.url);
    s.ws.send(Buffer.from([1, 2, 3]));
    expect(await s.next('error')).toMatchObject({ code: 'bad_request' });
    expect((await s.waitClosed()).code).toBe(4400);
  });

  it('closes a flooding socket with rate_limited and 4429; the room goes on', async () => {
    const { keys, a, b } = await chatPair(relay.url);
    const flood = await joinedSocket(relay.url, keys);
    const data = toBase64url(await seal(keys.contentKey, keys.roomId, utf8('flood')));
    for (let i = 0; i < 200 && !flood.closed; i++) flood.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: i, data });
    expect(await flood.next('error', (e) => e.code === 'rate_limited')).toBeDefined();
    expect((await flood.waitClosed()).code).toBe(4429);
    // Honest members got at most the burst, and still talk.
    expect(b.received.filter((m) => m.type === 'frame').length).toBeLessThanOrEqual(40);
    const before = b.received.filter((m) => m.type === 'frame').length;
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data });
    await b.next('frame', () => b.received.filter((m) => m.type === 'frame').length > before);
    expect(await a.next('sent')).toMatchObject({ delivered: 1 });
    a.close();
    b.close();
  });

  it('pings; a socket that never pongs gets idle_timeout and 4410, one that pongs stays', async () => {
    // Its own relay with a short heartbeat, so a busy test machine cannot time out the other tests' sockets.
    const quick = await startRelayProcess({ WS_HEARTBEAT_MS: '500' });
    try {
      const { a, b, roundTrip } = await chatPair(quick.url);
      const mute = await TestSocket.open(quick.url, {}, { autoPong: false });
      expect(await mute.next('error', (e) => e.code === 'idle_timeout', 10_000)).toBeDefined();
      expect((await mute.waitClosed(10_000)).code).toBe(4410);
      // a and b answered every ping (WS_HEARTBEAT_MS is 500 ms here) and are still served.
      expect(a.closed).toBeNull();
      expect(await roundTrip(1)).toMatchObject({ delivered: 1 });
      a.close();
      b.close();
    } finally {
      await quick.stop();
    }
  });
});
