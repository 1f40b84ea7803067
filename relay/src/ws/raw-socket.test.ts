import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createSocketServer, type RawSocket } from './raw-socket.js';

interface Harness {
  server: Server;
  client: WebSocket;
  raw: RawSocket;
  /** write() and writev() calls the server made on the accepted TCP socket. */
  writes: { single: number; vector: number };
  received: string[];
}

let open: Harness | undefined;

afterEach(async () => {
  open?.client.terminate();
  await new Promise((r) => open?.server.close(r) ?? r(undefined));
  open = undefined;
});

/** A real HTTP server upgraded by the relay's SocketServer, a real `ws` client, and a count of the server socket's writes. */
async function harness(): Promise<Harness> {
  const sockets = createSocketServer(() => []);
  const writes = { single: 0, vector: 0 };
  let accepted: (raw: RawSocket) => void = () => undefined;
  const got = new Promise<RawSocket>((r) => (accepted = r));
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    // The upgrade hands over the server's TCP socket itself: count what reaches its write paths.
    const tcp: Pick<Socket, '_write' | '_writev'> = socket;
    const write = tcp._write.bind(tcp);
    const writev = tcp._writev?.bind(tcp);
    tcp._write = (...a) => {
      writes.single++;
      write(...a);
    };
    if (writev) {
      tcp._writev = (...a) => {
        writes.vector++;
        writev(...a);
      };
    }
    sockets.accept(req, socket, head, (raw) => {
      raw.listen({ onMessage: () => undefined, onPong: () => undefined, onClose: () => undefined });
      accepted(raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const received: string[] = [];
  client.on('message', (d: Buffer) => received.push(d.toString()));
  await new Promise((r, j) => client.once('open', r).once('error', j));
  open = { server, client, raw: await got, writes, received };
  return open;
}

const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('WsRawSocket', () => {
  it('sends the messages of one event-loop turn in one writev, in order and intact', async () => {
    const h = await harness();
    h.writes.single = h.writes.vector = 0;
    const sent = Array.from({ length: 50 }, (_, i) => `frame ${i} ${'x'.repeat(i * 20)}`);
    for (const m of sent) h.raw.send(alternate(m));
    // This turn's corked bytes were never offered to the kernel: they do not count against the slow-consumer cap.
    expect(h.raw.bufferedAmount).toBe(0);
    await until(() => h.received.length === sent.length);
    expect(h.received).toEqual(sent);
    expect(h.writes).toEqual({ single: 0, vector: 1 });
  });

  it('flushes a batch early once it holds 64 KiB, so no writev is large enough to look like a slow reader', async () => {
    const h = await harness();
    h.writes.single = h.writes.vector = 0;
    const sent = Array.from({ length: 40 }, (_, i) => `${i} ${'y'.repeat(4096)}`);
    let most = 0;
    for (const m of sent) {
      h.raw.send(m);
      most = Math.max(most, h.raw.bufferedAmount);
    }
    await until(() => h.received.length === sent.length);
    expect(h.received).toEqual(sent);
    // 40 × 4 KiB in batches of at most 64 KiB: a writev per batch, and what the cap reads never holds more than one batch.
    expect(h.writes.single + h.writes.vector).toBeGreaterThanOrEqual(3);
    expect(h.writes.single + h.writes.vector).toBeLessThanOrEqual(4);
    expect(most).toBeLessThanOrEqual(64 * 1024 + 4200);
  });

  it('flushes a send made from a timer at the end of that turn, and corks again on the next', async () => {
    const h = await harness();
    await new Promise<void>((r) =>
      setTimeout(() => {
        h.raw.send('from a timer');
        r();
      }, 1),
    );
    await until(() => h.received.length === 1);
    h.raw.send('next turn a');
    h.raw.send('next turn b');
    await until(() => h.received.length === 3);
    expect(h.received).toEqual(['from a timer', 'next turn a', 'next turn b']);
  });
});

/** Alternates string and Buffer messages: the relay sends both (pre-encoded frames and JSON errors). */
let n = 0;
function alternate(m: string): string | Buffer {
  return n++ % 2 ? Buffer.from(m) : m;
}
