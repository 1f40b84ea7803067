import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHash } from 'node:crypto';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, HSTS, INTEGRITY_POLICY, PERMISSIONS_POLICY } from '../../relay/src/headers.js';
import { get } from '../support/http.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';

/** The headers every response must carry, whatever it is. */
function expectSecurityHeaders(h: IncomingHttpHeaders, what: string, csp = CONTENT_SECURITY_POLICY): void {
  expect(h['content-security-policy'], what).toBe(csp);
  expect(h['integrity-policy'], what).toBe(INTEGRITY_POLICY);
  expect(h['referrer-policy'], what).toBe('no-referrer');
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['x-frame-options'], what).toBe('DENY');
  expect(h['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(h['permissions-policy'], what).toBe(PERMISSIONS_POLICY);
}

/** Opens /ws and resolves with the 101's headers. */
function upgradeHeaders(base: string, headers: Record<string, string> = {}): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, { headers });
    ws.once('upgrade', (res) => {
      resolve(res.headers);
      ws.close();
    });
    ws.once('error', reject);
  });
}

describe('security headers from the running relay (behind a trusted proxy)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('on the HTML shell: all of them, no-store, and HSTS only when the proxy says https', async () => {
    const res = await get(`${relay.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers['content-type']).toContain('text/html');
    // The shell's one inline element, its import map (integrity of every chunk), is allowed by its hash and nothing else.
    const map = /<script type="importmap">([^<]*)<\/script>/.exec(res.body)?.[1];
    expect(map).toBeDefined();
    const hash = `sha256-${createHash('sha256').update(map!).digest('base64')}`;
    expectSecurityHeaders(res.headers, 'html', contentSecurityPolicy([hash]));
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBe(HSTS);
    const plain = await get(`${relay.url}/`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('on hashed assets: all of them, cached immutably', async () => {
    const html = (await get(`${relay.url}/`)).body;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toMatch(/-[\w-]{8,}\.js$/);
    const res = await get(relay.url + asset!);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res.headers, 'asset');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('on API answers, errors and health: all of them, no-store', async () => {
    for (const path of ['/api/nope', '/ready', '/metrics', '/sw.js', '/manifest.webmanifest']) {
      const res = await get(relay.url + path);
      expectSecurityHeaders(res.headers, path);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('on the WebSocket upgrade (101): all of them, HSTS when the proxy says https', async () => {
    const h = await upgradeHeaders(relay.url, { 'x-forwarded-proto': 'https' });
    expectSecurityHeaders(h, '101');
    expect(h['cache-control']).toBe('no-store');
    expect(h['strict-transport-security']).toBe(HSTS);
    expect((await upgradeHeaders(relay.url))['strict-transport-security']).toBeUndefined();
  });
});

describe('without TRUST_PROXY', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('ignores a forged X-Forwarded-Proto', async () => {
    expect((await get(`${relay.url}/`, { headers: { 'x-forwarded-proto': 'https' } })).headers['strict-transport-security']).toBeUndefined();
    expect((await upgradeHeaders(relay.url, { 'x-forwarded-proto': 'https' }))['strict-transport-security']).toBeUndefined();
  });
});
