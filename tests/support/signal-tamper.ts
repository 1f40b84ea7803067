import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

export interface TamperProxy {
  url: string;
  /** How many frames of each type crossed the proxy, both directions. */
  counts: Record<string, number>;
  /** How many `key` frames it rewrote. */
  swapped: number;
  close(): Promise<void>;
}

/**
 * A hostile signaling relay for tests: an HTTP proxy in front of a real
 * relay that passes everything through, except that on /signal it replaces
 * the public key in every `key` frame with one of its own (a man in the
 * middle who does not know the link secret). Production code has no hook
 * for this: the proxy rewrites frames on the wire.
 */
export async function startTamperProxy(relayPort: number, forgeKey: () => string): Promise<TamperProxy> {
  const counts: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true });
  const state = { swapped: 0 };
  const rewrite = (raw: string): string => {
    let msg: { type?: string; pub?: string };
    try {
      msg = JSON.parse(raw) as { type?: string; pub?: string };
    } catch {
      return raw;
    }
    counts[msg.type ?? '?'] = (counts[msg.type ?? '?'] ?? 0) + 1;
    if (msg.type !== 'key') return raw;
    state.swapped++;
    return JSON.stringify({ ...msg, pub: forgeKey() });
  };

  const server: Server = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: relayPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/signal') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(`ws://127.0.0.1:${relayPort}/signal`);
      const early: string[] = [];
      upstream.on('open', () => early.splice(0).forEach((m) => upstream.send(m)));
      client.on('message', (d) => {
        const m = rewrite(d.toString());
        if (upstream.readyState === WebSocket.OPEN) upstream.send(m);
        else early.push(m);
      });
      upstream.on('message', (d) => client.readyState === WebSocket.OPEN && client.send(rewrite(d.toString())));
      client.on('close', () => upstream.close());
      upstream.on('close', (code) => client.readyState === WebSocket.OPEN && client.close(code >= 1000 && code !== 1005 && code !== 1006 ? code : 1000));
      upstream.on('error', () => client.terminate());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get swapped() {
      return state.swapped;
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
