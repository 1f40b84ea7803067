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
    const ghost = { id: 'ttl-ghost-id-000000000', tokenHash: 't', publicKey: 'p', alg: 'ECDSA-P256' as const, createdAt: now, hardExpiresAt: now + 60_000 };
    await s.createGhost(ghost, now, 30_000);
    await s.createRoom({ id: 'ttl-room-id-0000000000', accessKeyHash: 'h', capacity: 3, createdAt: now, expiresAt: now + 30_000, public: true, invites: false }, now, 10_000);
    await s.joinRoom('ttl-room-id-0000000000', 'm', ghost.id, now);
    await s.nextSeq('ttl-room-id-0000000000', now);
    await s.takeToken(`g:${ghost.id}:x`, { capacity: 2, refillPerSecond: 1 }, now, ghost.id);
    await s.claimOnce('jti:x', 5000);
    await s.count('room', now);
    await s.stats(now);
    const keys = await s.redis.keys(`${prefix}*`);
    // ghost, its key index, room, members, seq, heat, bucket, claim, 2 counters (msg, room), 3 sorted sets, the instance heartbeat.
    expect(keys.length).toBe(14);
    for (const k of keys) expect(await s.redis.pttl(k), k).toBeGreaterThan(0);
    await s.close();
  });

  it('drops the members of an instance that stopped (its heartbeat lapsed) on the next join', async () => {
    const prefix = `${redis!.prefix}crash:`;
    const crashed = await RedisStore.connect(redis!.url, prefix);
    const alive = await RedisStore.connect(redis!.url, prefix);
    const now = Date.now();
    const ghost = { id: 'crash-ghost-id-0000000', tokenHash: 't', publicKey: 'p', alg: 'ECDSA-P256' as const, createdAt: now, hardExpiresAt: now + 60_000 };
    await alive.createGhost(ghost, now, 30_000);
    const roomId = 'crash-room-id-00000000';
    await alive.createRoom({ id: roomId, accessKeyHash: 'h', capacity: 2, createdAt: now, expiresAt: now + 30_000, public: false, invites: false }, now, 10_000);
    expect((await crashed.joinRoom(roomId, 'lost-1', ghost.id, now)).result).toBe('ok');
    expect((await crashed.joinRoom(roomId, 'lost-2', ghost.id, now)).result).toBe('ok');
    expect((await alive.joinRoom(roomId, 'new', ghost.id, now)).result).toBe('full');
    // A crash: the process vanishes without cleaning up, and its heartbeat key lapses (deleted here to skip the 15 s wait).
    crashed.redis.disconnect();
    await alive.redis.del(alive.k('inst', crashed.instanceId));
    const joined = await alive.joinRoom(roomId, 'new', ghost.id, Date.now());
    expect(joined).toMatchObject({ result: 'ok', members: [] });
    expect(await alive.memberCount(roomId)).toBe(1);
    await alive.close();
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
  });
});
