import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { directRoomId, newDirectSecret } from '../../protocol/src/crypto/direct.js';
import { DIRECT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SignalSocket } from '../support/signal-socket.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

async function joined(base: string, room: string): Promise<SignalSocket> {
  const s = await SignalSocket.open(base);
  s.send({ v: PROTOCOL_VERSION, type: 'join', room });
  await s.next('joined');
  return s;
}

/** The four direct-path counters from /metrics. */
async function paths(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^ghostwire_direct_sessions_(\w+)_total (\d+)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

const sealedLike = () => toBase64url(crypto.getRandomValues(new Uint8Array(DIRECT_FRAME_BYTES)));

/** Lets the relay handle what `from` sent before reading /metrics: a frame after it, seen arriving (or refused for want of a peer). */
async function settle(from: SignalSocket, to?: SignalSocket): Promise<void> {
  const data = sealedLike();
  from.send({ v: PROTOCOL_VERSION, type: 'data', data });
  if (to) await to.next('data', (d) => d.data === data);
  else await from.next('error', (e) => e.code === 'no_peer');
}

describe('/metrics direct sessions by path (real relay process, hand-written clients)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('counts one path report per paired socket, none from a lone socket, and names no address or room', async () => {
    expect(await paths(relay.url)).toEqual({ host: 0, srflx: 0, relay: 0, relay_fallback: 0 });
    const room = await directRoomId(newDirectSecret());
    const lone = await joined(relay.url, room);
    // Alone in the room: the report is ignored (a client cannot pump counters without a peer).
    lone.send({ v: PROTOCOL_VERSION, type: 'path', path: 'host' });
    await settle(lone);
    expect((await paths(relay.url)).host).toBe(0);

    const peer = await joined(relay.url, room);
    await lone.next('peer', (p) => p.event === 'join');
    lone.send({ v: PROTOCOL_VERSION, type: 'path', path: 'relay' });
    lone.send({ v: PROTOCOL_VERSION, type: 'path', path: 'relay' });
    lone.send({ v: PROTOCOL_VERSION, type: 'path', path: 'host' });
    peer.send({ v: PROTOCOL_VERSION, type: 'path', path: 'relay-fallback' });
    await settle(lone, peer);
    await settle(peer, lone);
    expect(await paths(relay.url)).toEqual({ host: 0, srflx: 0, relay: 1, relay_fallback: 1 });
    // The report is not forwarded to the other peer.
    expect(peer.received.some((m) => (m.type as string) === 'path')).toBe(false);

    // A path the protocol does not name is a typed error, and counts nothing.
    const room2 = await directRoomId(newDirectSecret());
    const [x, y] = [await joined(relay.url, room2), await joined(relay.url, room2)];
    x.send({ v: PROTOCOL_VERSION, type: 'path', path: '192.0.2.7' });
    expect(await x.next('error')).toMatchObject({ code: 'bad_request' });
    expect(await paths(relay.url)).toEqual({ host: 0, srflx: 0, relay: 1, relay_fallback: 1 });
    for (const s of [lone, peer, x, y]) s.close();
  });
});
