import { createConnection, createServer, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhostSession } from '../../web/src/models/ghost.js';
import { RoomSession } from '../../web/src/models/room.js';
import type { WebSocketCtor } from '../../web/src/net/relay-client.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A TCP proxy that can swallow what clients send after their WebSocket upgrade, and cut every connection. */
async function lossyProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let swallow = false;
  const server: Server = createServer((client) => {
    const relay = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(relay);
    let upgraded = false;
    client.on('data', (chunk) => {
      // Let the HTTP handshake through; once upgraded, frames can be dropped on the floor.
      if (upgraded && swallow) return;
      if (!upgraded && /upgrade:\s*websocket/i.test(chunk.toString('latin1'))) upgraded = true;
      relay.write(chunk);
    });
    relay.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      relay.destroy();
      sockets.delete(client);
      sockets.delete(relay);
    };
    for (const s of [client, relay]) {
      s.on('close', end);
      s.on('error', end);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    swallow(on: boolean) {
      swallow = on;
    },
    /** Cuts every open connection, as a phone losing its network would. */
    cut() {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('messages in flight when the connection drops (RoomSession over a real relay)', () => {
  let relay: RelayProcess;
  let proxy: Awaited<ReturnType<typeof lossyProxy>>;
  const sessions: RoomSession[] = [];
  beforeAll(async () => {
    relay = await startRelayProcess();
    proxy = await lossyProxy(relay.port);
  });
  afterAll(async () => {
    for (const s of sessions) s.wipe();
    proxy?.cut();
    await proxy?.close();
    await relay?.stop();
  });

  it('resends what the relay never acknowledged after the reconnect, and the other side shows it once', async () => {
    const envFor = (origin: string) => {
      let ghost: Promise<GhostSession> | undefined;
      return { origin, WebSocket: WebSocket as unknown as WebSocketCtor, ghost: () => (ghost ??= GhostSession.create(relay.url)) };
    };
    // Alice talks through the lossy proxy; Bob straight to the relay.
    const alice = await RoomSession.create(envFor(proxy.url));
    sessions.push(alice);
    const bob = await RoomSession.join(alice.link.split('#')[1]!, envFor(relay.url));
    sessions.push(bob);
    await until(() => alice.connection.value.phase === 'open' && bob.connection.value.phase === 'open' && alice.members.value.length === 1);

    await alice.send('before the drop');
    await until(() => bob.messages.value.some((m) => m.body === 'before the drop'));

    // The frame leaves Alice but never reaches the relay; then the link dies.
    proxy.swallow(true);
    await alice.send('in flight when the link died');
    expect(alice.messages.value.find((m) => m.body === 'in flight when the link died')?.status).toBe('sending');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.messages.value.some((m) => m.body === 'in flight when the link died')).toBe(false);
    proxy.swallow(false);
    proxy.cut();

    // Alice reconnects by herself (fresh token, new member id) and the outbox goes out again.
    await until(() => bob.messages.value.some((m) => m.body === 'in flight when the link died'));
    await until(() => alice.messages.value.find((m) => m.body === 'in flight when the link died')?.status === 'sent');
    await alice.send('after the reconnect');
    await until(() => bob.messages.value.some((m) => m.body === 'after the reconnect'));

    // Alice's reconnect shows as presence notices ("… left", "A ghost joined");
    // what she wrote is the text messages, each once and in order.
    const texts = bob.messages.value.filter((m) => m.kind === 'text');
    expect(texts.map((m) => m.body)).toEqual(['before the drop', 'in flight when the link died', 'after the reconnect']);
    // Every message from Alice shows under one handle: the resend was signed by the same key.
    expect(new Set(texts.map((m) => m.handle)).size).toBe(1);
  });
});
