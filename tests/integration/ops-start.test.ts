import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFixture, type RedisFixture } from '../support/redis.js';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

/** chmod -R, so a read-only tree can be deleted again. */
function chmodTree(dir: string, mode: (isDir: boolean) => number): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) {
      chmodSync(p, mode(true) | 0o200);
      chmodTree(p, mode);
    }
    chmodSync(p, mode(e.isDirectory()));
  }
}

/**
 * The Dockerfile's runtime stage, outside Docker: a directory holding only
 * package.json, production node_modules (`npm ci --omit=dev`, as the deps
 * stage runs it) and dist/, made read-only, started with the image's CMD.
 */
describe('the production start path, laid out like the container (/app), with Redis', () => {
  let redis: RedisFixture | null;
  let relay: RelayProcess;
  let app: string;

  beforeAll(async () => {
    redis = await redisFixture();
    app = mkdtempSync(join(tmpdir(), 'gw-app-'));
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    const install = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, encoding: 'utf8', timeout: 170_000 });
    if (install.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.stderr}`);
    rmSync(join(app, 'package-lock.json'));
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    // Read-only like `read_only: true`: a write anywhere under /app would fail.
    chmodTree(app, (isDir) => (isDir ? 0o555 : 0o444));
    chmodSync(app, 0o555);
    if (!redis) return;
    relay = await startRelayProcess(
      { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, NODE_ENV: 'production', JOIN_TOKEN_SECRET: 's'.repeat(40), HOME: '/nonexistent' },
      { root: app },
    );
  }, 180_000);

  afterAll(async () => {
    await relay?.stop();
    await redis?.stop();
    if (app) {
      chmodSync(app, 0o755);
      chmodTree(app, () => 0o755);
      rmSync(app, { recursive: true, force: true });
    }
  });

  it('installs no devDependency', () => {
    const installed = readdirSync(join(app, 'node_modules'));
    for (const dev of ['vite', 'vitest', 'typescript', 'playwright-core', 'esbuild', 'preact']) expect(installed).not.toContain(dev);
    expect(installed).toContain('hono');
  });

  it('serves the PWA and its assets', async () => {
    if (!redis) return;
    const html = await fetch(`${relay.url}/`);
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain('<link rel="manifest"');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(text)?.[1];
    expect(asset).toBeDefined();
    expect((await fetch(relay.url + asset!)).status).toBe(200);
    expect((await fetch(`${relay.url}/sw.js`)).status).toBe(200);
  });

  it('is ready with the Redis store, and live', async () => {
    if (!redis) return;
    const ready = await fetch(`${relay.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, store: 'ok', draining: false });
    expect(await (await fetch(`${relay.url}/health`)).json()).toMatchObject({ status: 'ok', store: 'redis', storeStatus: 'ok' });
    expect((await fetch(`${relay.url}/live`)).status).toBe(200);
  });

  it('exits 0 on SIGTERM', async () => {
    if (!redis) return;
    expect(await relay.stop('SIGTERM')).toBe(0);
  });
});
