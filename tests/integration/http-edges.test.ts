import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

const MB = 1024 * 1024;
const UPLOAD_BYTES = 10 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 'a');
/** 64 KiB every 20 ms (3.2 MB/s): 1 MB takes the client 300 ms, ample for an answer that needs only the headers. */
const PACE_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The endpoints that read a JSON body (the list). */
const BODY_ENDPOINTS = ['/api/ghosts', '/api/ghosts/me/destroy', '/api/rooms', '/api/rooms/AAAAAAAAAAAAAAAAAAAAAA/join-tokens'];

interface Upload {
  status: number | undefined;
  /** Body bytes written to the socket before the response arrived (or the socket ended). */
  sentBeforeAnswer: number;
}

/**
 * POSTs a 10 MB body over a raw socket, with a Content-Length or chunked, writing 64 KiB at a
 * time and waiting for each write to drain (paced by `pauseMs`); stops at the first byte of the answer.
 */
function upload(port: number, path: string, mode: 'length' | 'chunked', pauseMs: number): Promise<Upload> {
  return new Promise((resolve) => {
    const sock: Socket = connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      sock.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve({ status: status ? Number(status) : undefined, sentBeforeAnswer: sent });
    };
    sock.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish();
    });
    sock.on('error', finish);
    sock.on('close', finish);
    sock.once('connect', async () => {
      const framing = mode === 'length' ? `Content-Length: ${UPLOAD_BYTES}` : 'Transfer-Encoding: chunked';
      sock.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
      while (!done && sent < UPLOAD_BYTES) {
        const piece = mode === 'length' ? CHUNK : Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')]);
        const ok = sock.write(piece);
        sent += CHUNK.length;
        if (!ok) await new Promise((r) => sock.once('drain', r));
        if (pauseMs) await sleep(pauseMs);
      }
      if (!done && mode === 'chunked') sock.write('0\r\n\r\n');
    });
  });
}

/** RSS after a full GC in the relay (SIGUSR2 to the gc-on-signal preload). */
async function settledRss(relay: RelayProcess): Promise<number> {
  relay.proc.kill('SIGUSR2');
  await sleep(1000);
  return relay.rss();
}

/** Writes a request's headers one line every `everyMs`, never finishing; resolves with how long the relay held the connection. */
function slowloris(port: number, everyMs: number, maxMs: number): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const sock = connect(port, '127.0.0.1');
    let i = 0;
    const timer = setInterval(() => {
      if (Date.now() - started > maxMs) return sock.destroy();
      sock.write(i++ === 0 ? 'GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n' : `X-Drip-${i}: ${'x'.repeat(10)}\r\n`);
    }, everyMs);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
  });
}

/** Sends one raw request and returns the status line and headers of the answer. */
function rawRequest(port: number, head: string): Promise<{ status: number; headers: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(head));
    let answer = '';
    sock.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      const end = answer.indexOf('\r\n\r\n');
      if (end >= 0) {
        sock.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]), headers: answer.slice(0, end) });
      }
    });
    sock.on('error', reject);
  });
}

describe('HTTP edges (real relay process, real HTTP)', () => {
  let relay: RelayProcess;
  const HEADERS_TIMEOUT_MS = 2000;
  beforeAll(async () => {
    relay = await startRelayProcess({
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      NODE_OPTIONS: `--expose-gc --require ${ROOT}bench/servers/gc-on-signal.cjs`,
    });
    // Warm the HTTP path, so the first measured answer is not slowed by compiling it.
    for (const path of BODY_ENDPOINTS) await fetch(relay.url + path, { method: 'POST', body: '{}' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('answers a 10 MB body with a Content-Length 413 before the client has sent 1 MB, on every body endpoint', async () => {
    for (const path of BODY_ENDPOINTS) {
      const r = await upload(relay.port, path, 'length', PACE_MS);
      expect(r.status, path).toBe(413);
      expect(r.sentBeforeAnswer, path).toBeLessThan(1 * MB);
    }
  });

  it('cuts a chunked 10 MB body with 413 before the client has sent 1 MB, on every body endpoint', async () => {
    for (const path of BODY_ENDPOINTS) {
      const r = await upload(relay.port, path, 'chunked', PACE_MS);
      expect(r.status, path).toBe(413);
      expect(r.sentBeforeAnswer, path).toBeLessThan(1 * MB);
    }
  });

  it('keeps RSS within 10 MB under twenty concurrent 10 MB uploads sent as fast as the relay takes them', { timeout: 120_000 }, async () => {
    const before = await settledRss(relay);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, relay.rss());
        await sleep(20);
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => upload(relay.port, BODY_ENDPOINTS[i % BODY_ENDPOINTS.length]!, i % 2 ? 'chunked' : 'length', 0)),
    );
    sampling = false;
    await sampler;
    const after = await settledRss(relay);
    process.stderr.write(`twenty 10 MB uploads: RSS before ${(before / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, after ${(after / MB).toFixed(1)} MB\n`);
    for (const r of results) expect(r.status).toBe(413);
    expect(peak - before).toBeLessThan(10 * MB);
    expect(after - before).toBeLessThan(10 * MB);
  });

  it('closes a slowloris connection at HTTP_HEADERS_TIMEOUT_MS, while /live keeps answering', { timeout: 30_000 }, async () => {
    const held = slowloris(relay.port, 300, 20_000);
    await sleep(500);
    expect((await fetch(`${relay.url}/live`)).status).toBe(200);
    const ms = await held;
    // Node sweeps for expired headers every connectionsCheckingInterval (a quarter of the timeout, at most 1 s).
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 1500);
  });

  it('answers TRACE and PROPFIND with 405 and Allow, and a wrong method on an API route likewise', async () => {
    for (const method of ['TRACE', 'PROPFIND']) {
      const r = await rawRequest(relay.port, `${method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(r.status, method).toBe(405);
      expect(r.headers).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    }
    const post = await fetch(`${relay.url}/api/pow`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/GET, HEAD/) });
    const del = await fetch(`${relay.url}/api/rooms`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await fetch(`${relay.url}/api/nothing-here`)).status).toBe(404);
    expect((await fetch(`${relay.url}/live`)).status).toBe(200);
  });
});
