import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { missing } from './need.js';
import { freePort } from './ports.js';

export interface RedisFixture {
  /** Where the Redis is (REDIS_URL, or the private server this fixture started). */
  url: string;
  /** A key prefix no other test run uses. */
  prefix: string;
  /** Whether this fixture owns the server (and may stop or restart it). */
  owned: boolean;
  /** Stops a private server; for REDIS_URL only deletes this run's keys. */
  stop(): Promise<void>;
  /** Stops the server without cleanup (outage tests); only for an owned server. */
  kill?(): Promise<void>;
  /** Starts the same owned server again on the same port, empty. */
  restart?(): Promise<void>;
}

async function ping(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function waitFor(url: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ping(url)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis at ${url} did not answer within ${ms} ms`);
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/**
 * A real Redis for a test file: REDIS_URL when set (with a fresh key prefix),
 * else a private `redis-server` on a free port with persistence off, else
 * null (a loud skip, or a failure under CI=true).
 */
export async function redisFixture(): Promise<RedisFixture | null> {
  const prefix = `gwtest:${randomBytes(6).toString('hex')}:`;
  const envUrl = process.env.REDIS_URL;
  if (envUrl) {
    if (!(await ping(envUrl))) {
      missing(`Redis at REDIS_URL (${envUrl.replace(/\/\/[^@]*@/, '//***@')})`, 'Start it or unset REDIS_URL to let the tests start their own redis-server.');
      return null;
    }
    return { url: envUrl, prefix, owned: false, stop: () => deletePrefix(envUrl, prefix) };
  }
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (spawnSync(bin, ['--version']).status !== 0) {
    missing('redis-server', 'Install it (apt-get install -y redis-server) or set REDIS_URL.');
    return null;
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}/0`;
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning'], { stdio: 'ignore' });
    await waitFor(url);
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill('SIGKILL');
    });
  };
  await start();
  return { url, prefix, owned: true, stop: kill, kill, restart: start };
}
