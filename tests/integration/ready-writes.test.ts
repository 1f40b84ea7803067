import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFixture, type RedisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';

const redis: RedisFixture | null = await redisFixture();
const status = (url: string) => fetch(url).then((r) => r.status, () => 0);

// Changing maxmemory needs a private server; a shared REDIS_URL is not ours to fill.
describe.skipIf(!redis?.owned)('/ready while Redis refuses writes (maxmemory with noeviction)', () => {
  let relay: RelayProcess;
  let admin: Redis;
  beforeAll(async () => {
    relay = await startRelayProcess({ REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix });
    admin = new Redis(redis!.url);
  });
  afterAll(async () => {
    await admin?.config('SET', 'maxmemory', '0').catch(() => undefined);
    admin?.disconnect();
    await relay?.stop();
    await redis?.stop();
  });

  it('is not ready while every write answers OOM, though PING still answers, and ready again once writes are accepted', async () => {
    expect(await status(`${relay.url}/ready`)).toBe(200);
    // The fixture's server runs with --maxmemory-policy noeviction: past maxmemory every write is refused.
    await admin.config('SET', 'maxmemory', '1');
    expect(await admin.ping()).toBe('PONG');
    await expect(admin.set(`${redis!.prefix}x`, '1', 'PX', 1000)).rejects.toThrow(/OOM/);
    await expect.poll(() => status(`${relay.url}/ready`), { timeout: 10_000 }).toBe(503);
    expect(await (await fetch(`${relay.url}/ready`)).json()).toMatchObject({ ready: false, store: 'unreachable' });
    await admin.config('SET', 'maxmemory', '0');
    await expect.poll(() => status(`${relay.url}/ready`), { timeout: 10_000 }).toBe(200);
  });
});
