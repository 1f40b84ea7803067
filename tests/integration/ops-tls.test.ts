import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HSTS } from '../../relay/src/headers.js';
import { execForm, parseDockerfile } from '../support/dockerfile.js';
import { get } from '../support/http.js';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { selfSignedCert, type TestCert } from '../support/tls.js';

describe('built-in TLS (TLS_CERT/TLS_KEY), as `npx ghostwire` uses it for a phone on the LAN', () => {
  let cert: TestCert;
  let relay: RelayProcess;
  beforeAll(async () => {
    cert = selfSignedCert();
    relay = await startRelayProcess({ TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath });
  });
  afterAll(async () => {
    await relay?.stop();
    cert?.cleanup();
  });

  it('prints https URLs at start', async () => {
    expect(relay.url).toMatch(/^https:/);
    await expect.poll(() => relay.output.join('\n')).toContain(`Local:   https://127.0.0.1:${relay.port}/`);
  });

  it('serves the PWA over HTTPS with HSTS, and refuses plain HTTP on the same port', async () => {
    const res = await get(`${relay.url}/`, { ca: cert.cert });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<link rel="manifest"');
    expect(res.headers['strict-transport-security']).toBe(HSTS);
    await expect(fetch(`http://127.0.0.1:${relay.port}/live`)).rejects.toThrow();
  });

  it('upgrades wss:// with the same headers', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${relay.port}/ws`, { ca: cert.cert });
      ws.once('upgrade', (r) => {
        resolve(r.headers);
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(headers['strict-transport-security']).toBe(HSTS);
  });

  it("passes the image's HEALTHCHECK, which probes https when TLS_CERT is set", () => {
    const runtime = parseDockerfile(readFileSync(`${ROOT}Dockerfile`, 'utf8'));
    const argv = execForm(runtime.filter((i) => i.op === 'HEALTHCHECK').at(-1)!.args);
    const r = spawnSync(process.execPath, argv.slice(1), { env: { PATH: process.env.PATH, PORT: String(relay.port), TLS_CERT: cert.certPath }, timeout: 10_000 });
    expect(r.status).toBe(0);
  });
});

describe('a bad TLS setting', () => {
  it('stops the relay at start with a sentence naming the variable', () => {
    const r = spawnSync(process.execPath, ['dist/relay/main.js'], { cwd: ROOT, env: { PATH: process.env.PATH, PORT: '0', TLS_CERT: '/nonexistent/cert.pem' }, encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/TLS_KEY: built-in HTTPS needs both TLS_CERT and TLS_KEY/);
  });
});
