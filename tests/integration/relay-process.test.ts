import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_MAIN, ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

describe('the production start path (node dist/relay/main.js)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('answers /health with 200 and the embedded store', async () => {
    const res = await fetch(`${relay.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'memory' });
  });

  it('serves the PWA shell with no-store and a strict CSP, on every app route', async () => {
    for (const path of ['/', '/r', '/privacy']) {
      const res = await fetch(relay.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
      // The only inline script is the import map that carries the lazy chunks' SRI hashes (CSP allows it by hash).
      expect(html).not.toMatch(/<script(?![^>]*\b(?:src=|type="importmap"))[^>]*>/);
    }
  });

  it('serves an installable manifest with 192 and 512 icons and standalone display', async () => {
    const manifest = (await (await fetch(`${relay.url}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
      icons: Array<{ src: string; sizes: string }>;
    };
    expect(manifest.name).toBe('Ghostwire');
    expect(manifest.display).toBe('standalone');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size);
      expect(icon, size).toBeDefined();
      const png = Buffer.from(await (await fetch(relay.url + icon!.src)).arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(Number(size.split('x')[0]));
    }
  });

  it('serves the service worker, never cached by HTTP', async () => {
    const res = await fetch(`${relay.url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('index.html');
  });

  it('refuses to start on a bad configuration, naming the variable', () => {
    const r = spawnSync(process.execPath, [RELAY_MAIN], { cwd: ROOT, env: { PATH: process.env.PATH, PORT: 'eighty' }, encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/Invalid configuration:\s+PORT: /);
  });
});
