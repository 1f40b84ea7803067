import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMessageSchema } from '../../protocol/src/client-message.js';
import { fromBase64url, toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { open, seal } from '../../protocol/src/crypto/seal.js';
import { base64urlLength } from '../../protocol/src/messages/common.js';
import { CHAT_FRAME_BYTES, MAX_WS_MESSAGE_BYTES } from '../../protocol/src/limits.js';
import { loadConfig } from '../../relay/src/config.js';
import { startRelay, type RunningRelay } from '../../relay/src/server.js';
import { gcNow, probe, rawUpgradeStatus } from '../support/hostile.js';
import { createRoom, joinedSocket, joinToken, TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const NOT_JOINED_ROOM = 'Z'.repeat(22);
const SENTINEL_REF = 424_242;
const CHAT_DATA = 'A'.repeat(base64urlLength(CHAT_FRAME_BYTES));

/** Sends one hostile message on a fresh /ws socket, then a frame for a room it is not in (not_joined, ref SENTINEL_REF). */
async function probeWs(url: string, payload: string): Promise<void> {
  const s = await TestSocket.open(url);
  const sentinel = { v: PROTOCOL_VERSION, type: 'frame', room: NOT_JOINED_ROOM, ref: SENTINEL_REF, data: CHAT_DATA };
  await probe(s, payload, sentinel, (received) => received.some((m) => m.type === 'error' && m.ref === SENTINEL_REF));
}

/** Strings, JSON and near-valid messages that no schema accepts (or that name rooms the socket is not in). */
function hostileMessages(validToken: string): fc.Arbitrary<string> {
  const valid = [
    { v: PROTOCOL_VERSION, type: 'join', token: validToken },
    { v: PROTOCOL_VERSION, type: 'frame', room: NOT_JOINED_ROOM, ref: 1, data: CHAT_DATA },
    { v: PROTOCOL_VERSION, type: 'leave', room: NOT_JOINED_ROOM },
  ];
  const mutated = fc
    .tuple(fc.constantFrom(...valid), fc.constantFrom('v', 'type', 'token', 'room', 'ref', 'data', 'extra'), fc.anything())
    .map(([msg, key, value]) => JSON.stringify({ ...msg, [key]: value }));
  return fc
    .oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), mutated, fc.jsonValue().map((v) => JSON.stringify({ type: 'frame', v: PROTOCOL_VERSION, room: v })))
    .filter((raw) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return true;
      }
      const ok = clientMessageSchema.safeParse(json);
      // A valid leave is silently ignored by design; a valid join would consume the shared token.
      return !ok.success || ok.data.type === 'frame';
    });
}

/**
 * How a join attempt ended: 'joined' or the close code. Module-level on purpose: a poller created inside a
 * round would keep that round's whole scope (sockets full of received frames) alive, and skew the heap numbers.
 */
async function joinOutcome(s: TestSocket, ms = 10_000): Promise<'joined' | number> {
  const end = Date.now() + ms;
  for (;;) {
    if (s.received.some((m) => m.type === 'joined')) return 'joined';
    if (s.closed) return s.closed.code;
    if (Date.now() > end) throw new Error('join attempt neither joined nor closed');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('hostile clients (in-process relay: fast-check, floods, replays, cross-room, slow reader, headers, memory)', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STATIC_DIR: '/nonexistent-ghostwire-static',
      WS_RATE_BURST: '300',
      WS_RATE_PER_SECOND: '100',
      WS_SLOW_CONSUMER_BYTES: String(256 * 1024),
    });
    relay = await startRelay(config);
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** One round of every attack, with an honest pair chatting before and after; returns nothing on success. */
  async function round(fuzzRuns: number): Promise<void> {
    const url = relay.url;
    const keys = await createRoom(url);
    const alice = await joinedSocket(url, keys);
    const bob = await joinedSocket(url, keys);
    let ref = 0;
    const honest = async () => {
      ref++;
      const data = toBase64url(await seal(keys.contentKey, keys.roomId, utf8(`honest ${ref}`)));
      alice.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data });
      expect(await alice.next('sent', (s) => s.ref === ref, 15_000)).toMatchObject({ delivered: 1 });
      await bob.next('frame', (f) => f.data === data, 15_000);
    };
    await honest();

    // Random and malformed messages: each answered with a documented error and close.
    const spare = await joinToken(url, keys);
    await fc.assert(fc.asyncProperty(hostileMessages(spare), (raw) => probeWs(url, raw)), { numRuns: fuzzRuns });
    await honest();

    // Oversize: 1009 from the ws layer, before the relay parses anything.
    for (const size of [MAX_WS_MESSAGE_BYTES + 1, 4 * MAX_WS_MESSAGE_BYTES]) {
      const big = await TestSocket.open(url);
      big.send(`{"v":${PROTOCOL_VERSION},"type":"frame","data":"` + 'A'.repeat(size) + '"}');
      expect((await big.waitClosed(10_000)).code).toBe(1009);
    }

    // A flood from a member: rate_limited and 4429; the room goes on.
    const flooder = await joinedSocket(url, keys);
    const junk = toBase64url(await seal(keys.contentKey, keys.roomId, utf8('flood')));
    for (let i = 0; i < 1000 && !flooder.closed; i++) flooder.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: i, data: junk });
    expect((await flooder.waitClosed(10_000)).code).toBe(4429);
    expect(flooder.received.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
    await honest();

    // One token replayed on five sockets at once: exactly one joins.
    const token = await joinToken(url, keys);
    const replays = await Promise.all(Array.from({ length: 5 }, () => TestSocket.open(url)));
    for (const r of replays) r.send({ v: PROTOCOL_VERSION, type: 'join', token });
    const outcomes = await Promise.all(replays.map((r) => joinOutcome(r)));
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 4401)).toHaveLength(4);
    for (const r of replays) r.close();

    // Cross-room: a member of another room cannot reach this one; a frame sealed for another room fails to open here.
    const other = await createRoom(url);
    const stranger = await joinedSocket(url, other);
    const intoOurs = toBase64url(await seal(other.contentKey, other.roomId, utf8('cross')));
    stranger.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 5, data: intoOurs });
    expect(await stranger.next('error')).toMatchObject({ code: 'not_joined', ref: 5 });
    const sealedElsewhere = await seal(keys.contentKey, other.roomId, utf8('replayed from elsewhere'));
    alice.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 900_000, data: toBase64url(sealedElsewhere) });
    const relayed = await bob.next('frame', (f) => f.data === toBase64url(sealedElsewhere));
    await expect(open(keys.contentKey, keys.roomId, fromBase64url(relayed.data))).rejects.toThrow();
    stranger.close();

    // A slow reader: dropped with 4408 once its buffer passes the cap, while bob keeps receiving everything.
    const slow = await joinedSocket(url, keys);
    const sock = (slow.ws as unknown as { _socket: Socket })._socket;
    sock.pause();
    const media = toBase64url(await seal(keys.contentKey, keys.roomId, new Uint8Array(10), 'media'));
    let dropped = false;
    // Batches of 50 media frames (150 tokens) paced under alice's rate limit: the slow reader, not alice, is under test.
    for (let batch = 0; batch < 20 && !dropped; batch++) {
      if (batch > 0) await new Promise((r) => setTimeout(r, 1600));
      for (let i = 0; i < 50; i++) alice.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: ++ref, data: media });
      const ack = await alice.next('sent', (s) => s.ref === ref, 15_000);
      await bob.next('frame', (f) => f.seq === ack.seq, 15_000);
      dropped = ack.delivered === 1;
    }
    expect(dropped).toBe(true);
    sock.resume();
    expect((await slow.waitClosed(15_000)).code).toBe(4408);

    // 2,001 handshake headers: a clean 431, no upgrade.
    expect(await rawUpgradeStatus(relay.port, 2001)).toBe(431);

    await honest();
    alice.close();
    bob.close();
    await Promise.all([alice.waitClosed(), bob.waitClosed()]);
  }

  async function settled(): Promise<void> {
    const end = Date.now() + 15_000;
    while ((relay.sockets.registry.size > 0 || relay.deps.metrics.connectionsOpen > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(relay.sockets.registry.size).toBe(0);
    expect(relay.deps.metrics.connectionsOpen).toBe(0);
  }

  it('answers every attack as documented, keeps serving honest members, and does not grow without bound', { timeout: 600_000 }, async () => {
    await round(40);
    await settled();
    gcNow();
    const base = process.memoryUsage().heapUsed;
    for (let i = 0; i < 3; i++) await round(40);
    await settled();
    gcNow();
    const after3 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 3; i++) await round(40);
    await settled();
    gcNow();
    const after6 = process.memoryUsage().heapUsed;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stderr.write(`hostile suite heapUsed after GC: base ${mb(base)} MiB, +3 rounds ${mb(after3)} MiB, +6 rounds ${mb(after6)} MiB\n`);
    // Each round pushes megabytes through the relay (media frames to a slow reader, floods, 4x-oversize
    // messages); what stays after GC must not scale with the rounds.
    expect(after6 - after3).toBeLessThan(8 * 1024 * 1024);
    expect(after6 - base).toBeLessThan(16 * 1024 * 1024);
  });
});
