import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { loadConfig } from '../../relay/src/config.js';
import { startRelay, type RunningRelay } from '../../relay/src/server.js';
import { createRoom, joinedSocket, joinToken, TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const config = (env: Record<string, string>) =>
  loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STATIC_DIR: '/nonexistent-ghostwire-static', ...env });

describe('per-ghost socket cap (in-process relay)', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    const cfg = config({ WS_MAX_SOCKETS_PER_GHOST: '2' });
    // Every token here is minted for the relay's one shared test ghost, so its sockets count against one cap.
    relay = await startRelay(cfg);
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('refuses a ghost its third socket with too_many_sockets and 4430, and frees the slot on close', async () => {
    const keys = await createRoom(relay.url);
    const one = await joinedSocket(relay.url, keys);
    const two = await joinedSocket(relay.url, keys);
    const three = await TestSocket.open(relay.url);
    three.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(relay.url, keys) });
    expect(await three.next('error')).toMatchObject({ code: 'too_many_sockets' });
    expect((await three.waitClosed()).code).toBe(4430);
    one.close();
    await one.waitClosed();
    const four = await TestSocket.open(relay.url);
    const token = await joinToken(relay.url, keys);
    // The relay notices the close asynchronously: retry the join for a moment.
    let joined = false;
    for (let i = 0; i < 50 && !joined; i++) {
      four.send({ v: PROTOCOL_VERSION, type: 'join', token: i === 0 ? token : await joinToken(relay.url, keys) });
      joined = await four.next('joined', () => true, 200).then(() => true, () => false);
      if (four.closed) break;
    }
    expect(joined).toBe(true);
    two.close();
    four.close();
  });
});

describe('slow consumer (in-process relay)', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay(config({ WS_SLOW_CONSUMER_BYTES: String(256 * 1024), WS_RATE_BURST: '100000', WS_RATE_PER_SECOND: '100000' }));
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('drops a member that stops reading with slow_consumer and 4408, without holding up the others', async () => {
    const keys = await createRoom(relay.url);
    const sender = await joinedSocket(relay.url, keys);
    const reader = await joinedSocket(relay.url, keys);
    const slow = await joinedSocket(relay.url, keys);
    // Stop reading: the kernel buffers fill, then the relay's send buffer for this socket grows.
    const rawSocket = (slow.ws as unknown as { _socket: import('node:net').Socket })._socket;
    rawSocket.pause();
    const data = toBase64url(await seal(keys.contentKey, keys.roomId, new Uint8Array(1000), 'media'));
    let ref = 0;
    let dropped = false;
    const deadline = Date.now() + 60_000;
    // Bounded: at most 1,500 media frames (~130 MB of fanout) or 60 s.
    while (!dropped && ref < 1500 && Date.now() < deadline) {
      for (let i = 0; i < 20; i++) sender.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: ++ref, data });
      const ack = await sender.next('sent', (s) => s.ref === ref, 20_000);
      dropped = ack.delivered === 1;
    }
    expect(dropped).toBe(true);
    // The reading member got every frame, in order, while the slow one was being dropped.
    await reader.next('frame', (f) => f.seq === ref, 20_000);
    const seqs = reader.received.filter((m) => m.type === 'frame').map((m) => (m as { seq: number }).seq);
    expect(seqs).toEqual(Array.from({ length: ref }, (_, i) => i + 1));
    // Reading again, the slow member finds the typed error and the named close at the end of its backlog.
    rawSocket.resume();
    expect((await slow.waitClosed(20_000)).code).toBe(4408);
    expect(slow.received.at(-1)).toMatchObject({ type: 'error', code: 'slow_consumer' });
    // And the room still works.
    sender.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: ++ref, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8('after'))) });
    expect(await sender.next('sent', (s) => s.ref === ref)).toMatchObject({ delivered: 1 });
    sender.close();
    reader.close();
  });
});
