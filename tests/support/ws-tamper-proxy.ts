import { createConnection, createServer, type Socket } from 'node:net';

/** What the proxy does with one relay → client text message. */
export type Verdict = 'pass' | 'hold' | 'drop';

/** One relay → client WebSocket text message the proxy saw, on connection `conn`. */
export interface Seen {
  conn: number;
  text: string;
}

export interface TamperProxy {
  url: string;
  /** Decides per relay → client text message; 'pass' by default. */
  policy: (msg: Record<string, unknown>, conn: number) => Verdict;
  /** Messages held back, in arrival order. */
  held(): Seen[];
  /** Sends held messages (by index into held()) to their connection, in the order given; forgets the rest of the held list. */
  release(order: number[]): void;
  /** Sends a text message to the newest connection, as if the relay had sent it (a replay). */
  inject(text: string): void;
  /** Every relay → client text message seen, in order (held or not). */
  seen(): Seen[];
  /** Connections opened so far. */
  connections(): number;
  /** Drops every open WebSocket at once, both ways, without a close frame (a phone losing its network). */
  cut(): void;
  close(): Promise<void>;
}

/** An unmasked server → client text frame (RFC 6455 §5.2). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65536) {
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

/**
 * A relay that drops, reorders and replays: a TCP proxy in front of the real
 * relay that parses the relay's WebSocket frames to the client and lets a test
 * hold, drop, release in another order, or inject copies of them. The client's
 * frames pass untouched; compression is refused at the handshake so frames
 * stay readable.
 */
export async function startTamperProxy(targetPort: number): Promise<TamperProxy> {
  const sockets = new Set<Socket>();
  const clients: Socket[] = [];
  /** Upgraded client sockets and their relay side. */
  const pairs = new Map<Socket, Socket>();
  const seen: Seen[] = [];
  let held: Seen[] = [];
  const proxy: TamperProxy = {
    url: '',
    policy: () => 'pass',
    held: () => [...held],
    release(order) {
      for (const i of order) {
        const h = held[i];
        if (h) clients[h.conn]?.write(textFrame(h.text));
      }
      held = [];
    },
    inject(text) {
      clients.at(-1)?.write(textFrame(text));
    },
    seen: () => [...seen],
    connections: () => clients.length,
    cut() {
      for (const [client, relay] of pairs) {
        client.destroy();
        relay.destroy();
      }
      pairs.clear();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server = createServer((client) => {
    const relay = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(relay);
    let upgraded = false;
    let conn = -1;
    let head = Buffer.alloc(0);
    let headDone = false;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk) => {
      if (upgraded) return void relay.write(chunk);
      const text = chunk.toString('latin1');
      if (/^upgrade:\s*websocket/im.test(text)) {
        upgraded = true;
        conn = clients.push(client) - 1;
        pairs.set(client, relay);
        client.once('close', () => pairs.delete(client));
        relay.write(Buffer.from(text.replace(/^sec-websocket-extensions:[^\r]*\r\n/gim, ''), 'latin1'));
      } else {
        relay.write(chunk);
      }
    });
    relay.on('data', (chunk) => {
      if (conn < 0) return void client.write(chunk);
      if (!headDone) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        client.write(head.subarray(0, end + 4));
        pending = Buffer.from(head.subarray(end + 4));
        headDone = true;
      } else {
        pending = Buffer.concat([pending, chunk]);
      }
      for (;;) {
        if (pending.length < 2) return;
        const b0 = pending[0]!;
        let len = pending[1]! & 0x7f;
        let off = 2;
        if (len === 126) {
          if (pending.length < 4) return;
          len = pending.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (pending.length < 10) return;
          len = Number(pending.readBigUInt64BE(2));
          off = 10;
        }
        if (pending.length < off + len) return;
        const raw = pending.subarray(0, off + len);
        const payload = pending.subarray(off, off + len).toString('utf8');
        pending = Buffer.from(pending.subarray(off + len));
        if (b0 !== 0x81) {
          client.write(raw);
          continue;
        }
        seen.push({ conn, text: payload });
        let msg: Record<string, unknown> = {};
        try {
          msg = JSON.parse(payload) as Record<string, unknown>;
        } catch {
          // Not JSON: passed on as it is.
        }
        const verdict = proxy.policy(msg, conn);
        if (verdict === 'pass') client.write(raw);
        else if (verdict === 'hold') held.push({ conn, text: payload });
      }
    });
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
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}
