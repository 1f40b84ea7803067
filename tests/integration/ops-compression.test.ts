import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { copyOfBuild } from '../support/release-copy.js';

/** One GET with the given Accept-Encoding; the body as sent (not decoded). */
function raw(url: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the built PWA is served compressed where the browser accepts it', () => {
  let relay: RelayProcess;
  let script: string;
  beforeAll(async () => {
    relay = await startRelayProcess();
    const html = readFileSync(`${ROOT}dist/web/index.html`, 'utf8');
    script = /<script type="module"[^>]* src="([^"]+)"/.exec(html)![1]!;
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('answers Brotli, gzip or identity for the landing script, each decoding to the built file, with Vary: Accept-Encoding', async () => {
    const file = readFileSync(`${ROOT}dist/web${script}`);
    const br = await raw(relay.url + script, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(file.length / 2);
    expect(brotliDecompressSync(br.body).equals(file)).toBe(true);

    const gz = await raw(relay.url + script, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(file)).toBe(true);

    const plain = await raw(relay.url + script);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(file)).toBe(true);
    // The same security headers on the compressed answer as on the plain one.
    for (const h of ['content-security-policy', 'x-content-type-options', 'cache-control', 'content-type']) expect(br.headers[h], h).toBe(plain.headers[h]);
  });

  it('serves the app shell for an app route compressed too', async () => {
    const shell = readFileSync(`${ROOT}dist/web/index.html`);
    const r = await raw(`${relay.url}/r`, 'br');
    expect(r.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(r.body).equals(shell)).toBe(true);
  });

  it('serves a file changed after the build as it is now, never its stale compressed copy', async () => {
    const build = copyOfBuild();
    let edited: RelayProcess | undefined;
    try {
      const changed = readFileSync(`${build.dir}/index.html`, 'utf8').replace('</head>', '<meta name="x-edited" content="after the build"></head>');
      writeFileSync(`${build.dir}/index.html`, changed);
      edited = await startRelayProcess({ STATIC_DIR: build.dir });
      const r = await raw(`${edited.url}/`, 'br, gzip');
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.body.toString('utf8')).toBe(changed);
    } finally {
      await edited?.stop();
      build.remove();
    }
  });
});
