import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { RedisStore } from '../../relay/src/store/redis.js';
import { storeConformance } from '../../relay/src/store/store.conformance.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket } from '../support/ws-client.js';

const redis = await redisFixture();

describe.skipIf(!redis)('Redis store', () => {
  afterAll(async () => {
    await redis?.stop();
  });

  storeConformance('redis', () => RedisStore.connect(redis!.url, redis!.prefix));

  it('writes every key with a TTL', async () => {
    const prefix = `${redis!.prefix}ttl:`;
    const s = await RedisStore.connect(redis!.url, prefix);
    const now = Date.now();
    await s.createRoom({ id: 'ttl-room-id-0000000000', accessKeyHash: 'h', capacity: 3, createdAt: now, expiresAt: now + 30_000 });
    await s.joinRoom('ttl-room-id-0000000000', 'm');
    await s.claimOnce('jti:x', 5000);
    await s.appendBacklog('ttl-room-id-0000000000', { seq: 1, expiresAt: now + 20_000, frame: 'f' }, 5);
    const keys = await s.redis.keys(`${prefix}*`);
    expect(keys.length).toBe(4);
    for (const k of keys) expect(await s.redis.pttl(k), k).toBeGreaterThan(0);
    await s.close();
  });

  describe('relay on Redis', () => {
    let relay: RelayProcess;
    beforeAll(async () => {
      relay = await startRelayProcess({ REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix });
    });
    afterAll(async () => {
      await relay?.stop();
    });

    it('reports the Redis store and relays a chat', async () => {
      expect(await (await fetch(`${relay.url}/health`)).json()).toMatchObject({ status: 'ok', store: 'redis' });
      const keys = await createRoom(relay.url);
      const a = await joinedSocket(relay.url, keys);
      const b = await joinedSocket(relay.url, keys);
      a.send({ v: 1, type: 'frame', room: keys.roomId, ref: 1, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8('hi'))) });
      await b.next('frame');
      expect(await a.next('sent')).toMatchObject({ delivered: 1 });
      a.close();
      b.close();
    });

    it('replays a room backlog kept in Redis to a late joiner, after its lastSeq', async () => {
      const keys = await createRoom(relay.url, { backlog: 3 });
      const a = await joinedSocket(relay.url, keys);
      for (let ref = 1; ref <= 5; ref++) {
        a.send({ v: 1, type: 'frame', room: keys.roomId, ref, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8(`m${ref}`))) });
      }
      await a.next('sent', (s) => s.ref === 5);
      const late = await joinedSocket(relay.url, keys);
      await late.next('frame', (f) => f.seq === 5);
      expect(late.received.filter((m) => m.type === 'frame').map((m) => (m as { seq: number }).seq)).toEqual([3, 4, 5]);
      const back = await joinedSocket(relay.url, keys, { lastSeq: 4 });
      await back.next('frame', (f) => f.seq === 5);
      expect(back.received.filter((m) => m.type === 'frame')).toHaveLength(1);
      for (const s of [a, late, back]) s.close();
    });
  });
});
