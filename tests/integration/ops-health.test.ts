import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisFixture, type RedisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';

const redis: RedisFixture | null = await redisFixture();
const status = (url: string) => fetch(url).then((r) => r.status, () => 0);

// Stopping Redis needs a private server; with a shared REDIS_URL this suite has nothing to stop.
describe.skipIf(!redis?.owned)('/live and /ready through a Redis outage', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix });
  });
  afterAll(async () => {
    await relay?.stop();
    await redis?.stop();
  });

  it('stays live, turns unready while Redis is down, and ready again when it is back', async () => {
    expect(await status(`${relay.url}/ready`)).toBe(200);
    await redis!.kill!();
    await expect.poll(() => status(`${relay.url}/ready`), { timeout: 15_000 }).toBe(503);
    const health = await fetch(`${relay.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', store: 'redis', storeStatus: 'unreachable' });
    // Liveness must not follow the store: restarting every replica would not bring Redis back.
    expect(await status(`${relay.url}/live`)).toBe(200);
    await redis!.restart!();
    await expect.poll(() => status(`${relay.url}/ready`), { timeout: 20_000 }).toBe(200);
  });
});
