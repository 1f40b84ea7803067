import { request } from 'node:http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../protocol/src/codes.js';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SignalSocket } from '../support/signal-socket.js';
import { TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const DEADLINE_MS = 4000;
const SOCKETS = 2000;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Idle = TestSocket | SignalSocket;
/** When each socket started its upgrade, when the client saw it open, and when it closed (ms since the epoch). */
const lifetimes = new Map<Idle, { started: number; opened: number; closed?: number }>();

/** Opens `n` sockets that answer pings (ws does) but never join, a quarter on /signal, the rest on /ws. */
async function openIdle(url: string, n: number): Promise<Idle[]> {
  const out: Idle[] = [];
  const one = async (signal: boolean) => {
    const started = Date.now();
    const s: Idle = signal ? await SignalSocket.open(url) : await TestSocket.open(url);
    const life: { started: number; opened: number; closed?: number } = { started, opened: Date.now() };
    lifetimes.set(s, life);
    s.ws.once('close', () => (life.closed = Date.now()));
    return s;
  };
  for (let i = 0; i < n; i += 50) out.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => one((i + j) % 4 === 0)))));
  return out;
}

async function allClosed(socks: Idle[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (socks.some((s) => !s.closed)) {
    if (Date.now() > end) throw new Error(`${socks.filter((s) => !s.closed).length} sockets still open`);
    await sleep(50);
  }
}

/** The raw answer to a WebSocket upgrade of `path`: its status and body (101 has none). */
function upgradeAnswer(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** RSS after a full GC in the relay (SIGUSR2 to the gc-on-signal preload) and a moment to return pages. */
async function settledRss(relay: RelayProcess): Promise<number> {
  relay.proc.kill('SIGUSR2');
  await sleep(1000);
  return relay.rss();
}

describe('join deadline (real relay process, 2,000 real sockets)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    // The bench's method (bench/servers/gc-on-signal.cjs): RSS is read after a full GC, so it shows what is held, not what V8 has yet to collect.
    relay = await startRelayProcess({ WS_JOIN_DEADLINE_MS: String(DEADLINE_MS), NODE_OPTIONS: `--expose-gc --require ${ROOT}bench/servers/gc-on-signal.cjs` });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it(`closes ${SOCKETS} sockets that never join with join_timeout and 4412 at the deadline, and RSS comes back within 5 MB`, { timeout: 180_000 }, async () => {
    // A first wave sizes the heap and compiles the paths; the second is the one measured against it.
    const warm = await openIdle(relay.url, SOCKETS);
    await allClosed(warm, DEADLINE_MS + 20_000);
    const before = await settledRss(relay);

    const opened = Date.now();
    const socks = await openIdle(relay.url, SOCKETS);
    const during = await settledRss(relay);
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toContain(`ghostwire_connections_open ${SOCKETS}\n`);
    await allClosed(socks, Date.now() - opened + DEADLINE_MS + 10_000);
    for (const s of socks) {
      expect(s.closed!.code).toBe(CloseCode.JoinTimeout);
      expect(s.received.at(-1)).toMatchObject({ type: 'error', code: ErrorCode.JoinTimeout });
      // At the deadline: not before it (the relay's clock starts after our upgrade started), and not long after.
      const life = lifetimes.get(s)!;
      expect(life.closed! - life.started).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(life.closed! - life.opened).toBeLessThan(DEADLINE_MS + 5000);
    }
    const after = await settledRss(relay);
    process.stderr.write(`join deadline: RSS before ${(before / MB).toFixed(1)} MB, with ${SOCKETS} idle sockets ${(during / MB).toFixed(1)} MB, after ${(after / MB).toFixed(1)} MB\n`);
    expect(after - before).toBeLessThan(5 * MB);
  });

  it('keeps a socket that joined within the deadline', { timeout: 30_000 }, async () => {
    const s = await SignalSocket.open(relay.url);
    s.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    await s.next('waiting');
    await sleep(DEADLINE_MS + 1500);
    expect(s.closed).toBeNull();
    s.close();
  });
});

describe('total socket cap (real relay process, WS_MAX_SOCKETS=5)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ WS_MAX_SOCKETS: '5' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('refuses the next upgrade on /ws and /signal with 503 and a sentence, and takes one again once a socket closes', async () => {
    const socks = [...(await Promise.all([1, 2, 3].map(() => TestSocket.open(relay.url)))), ...(await Promise.all([1, 2].map(() => SignalSocket.open(relay.url))))];
    for (const path of ['/ws', '/signal']) {
      const refused = await upgradeAnswer(relay.port, path);
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/try again/) });
    }
    await expect(TestSocket.open(relay.url)).rejects.toThrow(/503/);
    socks[0]!.close();
    await socks[0]!.waitClosed();
    const end = Date.now() + 5000;
    let again: WebSocket | undefined;
    while (!again && Date.now() < end) {
      again = await TestSocket.open(relay.url).then((s) => s.ws, () => undefined);
      if (!again) await sleep(50);
    }
    expect(again?.readyState).toBe(WebSocket.OPEN);
    again?.close();
    for (const s of socks) s.close();
  });
});
