import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { directRoomId, newDirectSecret } from '../../protocol/src/crypto/direct.js';
import { DIRECT_FRAME_BYTES, MAX_HANDSHAKE_HEADERS, MAX_WS_MESSAGE_BYTES, SIGNAL_MAX_MESSAGE_BYTES } from '../../protocol/src/limits.js';
import { signalClientMessageSchema } from '../../protocol/src/signal-message.js';
import { loadConfig } from '../../relay/src/config.js';
import { startRelay, type RunningRelay } from '../../relay/src/server.js';
import { gcNow, probe, rawUpgradeStatus } from '../support/hostile.js';
import { SignalSocket } from '../support/signal-socket.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const sealedLike = (bytes = DIRECT_FRAME_BYTES) => toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
const MAC = toBase64url(new Uint8Array(32));
/** A valid relayed message: on a socket in no room it is answered not_joined and the socket stays open. */
const SENTINEL = { v: PROTOCOL_VERSION, type: 'confirm', mac: MAC };

/** Sends one hostile message on a fresh /signal socket, then the sentinel. */
async function probeSignal(url: string, payload: string): Promise<void> {
  const s = await SignalSocket.open(url);
  await probe(s, payload, SENTINEL, (received) => received.some((m) => m.type === 'error' && m.code === 'not_joined'));
}

/** Strings, JSON and near-valid /signal messages that its schema refuses. */
function hostileSignalMessages(room: string): fc.Arbitrary<string> {
  const valid = [
    { v: PROTOCOL_VERSION, type: 'join', room },
    { v: PROTOCOL_VERSION, type: 'stranger' },
    { v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: toBase64url(new Uint8Array(97)) },
    { v: PROTOCOL_VERSION, type: 'confirm', mac: MAC },
    { v: PROTOCOL_VERSION, type: 'rtc', data: sealedLike() },
    { v: PROTOCOL_VERSION, type: 'data', data: sealedLike() },
    { v: PROTOCOL_VERSION, type: 'leave' },
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...valid), fc.constantFrom('v', 'type', 'room', 'alg', 'pub', 'mac', 'data', 'extra'), fc.anything())
    .map(([msg, key, value]) => JSON.stringify({ ...msg, [key]: value }));
  return fc
    .oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), mutated, fc.jsonValue().map((v) => JSON.stringify({ type: 'data', v: PROTOCOL_VERSION, data: v })))
    .filter((raw) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return true;
      }
      // A valid message would join, pair or leave: the fuzz is about what the schema refuses.
      return !signalClientMessageSchema.safeParse(json).success;
    });
}

async function joined(url: string, room: string): Promise<SignalSocket> {
  const s = await SignalSocket.open(url);
  s.send({ v: PROTOCOL_VERSION, type: 'join', room });
  await s.next('joined');
  return s;
}

describe('hostile clients on /signal (in-process relay: fast-check, oversize, binary, floods, slow reader, headers, memory)', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STATIC_DIR: '/nonexistent-ghostwire-static' }));
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** One round of every attack, with an honest pair talking before and after. */
  async function round(fuzzRuns: number): Promise<void> {
    const url = relay.url;
    const room = await directRoomId(newDirectSecret());
    const a = await joined(url, room);
    const b = await joined(url, room);
    const honest = async () => {
      const data = sealedLike();
      a.send({ v: PROTOCOL_VERSION, type: 'data', data });
      await b.next('data', (m) => m.data === data, 15_000);
    };
    await honest();

    // Random and malformed messages: each answered with a documented error and close, the same codes as /ws.
    await fc.assert(fc.asyncProperty(hostileSignalMessages(await directRoomId(newDirectSecret())), (raw) => probeSignal(url, raw)), { numRuns: fuzzRuns });
    await honest();

    // Oversize: 1009 from the ws layer, before the relay parses anything.
    for (const size of [MAX_WS_MESSAGE_BYTES + 1, 4 * MAX_WS_MESSAGE_BYTES]) {
      const big = await SignalSocket.open(url);
      big.send(`{"v":${PROTOCOL_VERSION},"type":"data","data":"` + 'A'.repeat(size) + '"}');
      expect((await big.waitClosed(10_000)).code).toBe(1009);
    }

    // Past /signal's own bound but within what ws lets through (an MLS commit's size on /ws): too_large and 4413.
    const mid = await SignalSocket.open(url);
    mid.send(`{"v":${PROTOCOL_VERSION},"type":"data","data":"` + 'A'.repeat(SIGNAL_MAX_MESSAGE_BYTES) + '"}');
    expect(await mid.next('error')).toMatchObject({ code: 'too_large' });
    expect((await mid.waitClosed(10_000)).code).toBe(4413);
    await honest();

    // Binary: bad_request and 4400.
    const binary = await SignalSocket.open(url);
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect(await binary.next('error')).toMatchObject({ code: 'bad_request' });
    expect((await binary.waitClosed()).code).toBe(4400);

    // A flood from a peer in another room: rate_limited and 4429.
    const flooder = await joined(url, await directRoomId(newDirectSecret()));
    for (let i = 0; i < 500 && !flooder.closed; i++) flooder.send(SENTINEL);
    expect((await flooder.waitClosed(10_000)).code).toBe(4429);
    expect(flooder.received.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
    await honest();

    // A slow reader: dropped with slow_consumer and 4408 (as on /ws) once its unsent bytes pass SIGNAL_SLOW_CONSUMER_BYTES.
    const slowRoom = await directRoomId(newDirectSecret());
    const sender = await joined(url, slowRoom);
    const slow = await joined(url, slowRoom);
    const sock = (slow.ws as unknown as { _socket: Socket })._socket;
    sock.pause();
    const big = sealedLike(DIRECT_FRAME_BYTES);
    // Paced under the sender's own rate limit (SIGNAL_RATE_PER_SECOND): the slow reader, not the sender, is under test.
    for (let i = 0; i < 1200 && !sender.received.some((m) => m.type === 'peer' && m.event === 'leave'); i++) {
      sender.send({ v: PROTOCOL_VERSION, type: 'data', data: big });
      await new Promise((r) => setTimeout(r, 60));
    }
    // The relay cut the slow reader and told the sender at once.
    expect(sender.received.some((m) => m.type === 'peer' && m.event === 'leave')).toBe(true);
    sock.resume();
    // Direct frames are one 4096-byte size now, so a sender at SIGNAL_RATE_PER_SECOND fills a paused reader's kernel
    // buffers and SIGNAL_SLOW_CONSUMER_BYTES more slowly than the heartbeat notices the reader: either named close drops it.
    const code = (await slow.waitClosed(15_000)).code;
    expect([4408, 4410]).toContain(code);
    expect(slow.received.at(-1)).toMatchObject({ type: 'error', code: code === 4408 ? 'slow_consumer' : 'idle_timeout' });
    expect(sender.closed).toBeNull();
    sender.close();

    // Header floods on the /signal upgrade: 431, like /ws.
    expect(await rawUpgradeStatus(relay.port, MAX_HANDSHAKE_HEADERS, '/signal')).toBe(431);
    expect(await rawUpgradeStatus(relay.port, 2001, '/signal')).toBe(431);

    await honest();
    a.close();
    b.close();
    await Promise.all([a.waitClosed(), b.waitClosed()]);
  }

  async function settled(): Promise<void> {
    const end = Date.now() + 15_000;
    while ((relay.sockets.registry.size > 0 || relay.deps.metrics.connectionsOpen > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(relay.sockets.registry.size).toBe(0);
    expect(relay.deps.metrics.connectionsOpen).toBe(0);
  }

  it('answers every attack with the codes /ws uses, keeps serving honest peers, and does not grow without bound', { timeout: 600_000 }, async () => {
    await round(40);
    await settled();
    gcNow();
    const base = process.memoryUsage().heapUsed;
    for (let i = 0; i < 3; i++) await round(40);
    await settled();
    gcNow();
    const after3 = process.memoryUsage().heapUsed;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stderr.write(`hostile /signal heapUsed after GC: base ${mb(base)} MiB, +3 rounds ${mb(after3)} MiB\n`);
    expect(after3 - base).toBeLessThan(8 * 1024 * 1024);
  });
});
