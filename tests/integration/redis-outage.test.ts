import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { createGhost, over } from '../support/ghost.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, joinToken, TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const redis = await redisFixture();
const canKill = !!redis?.kill && !!redis.restart;
if (redis && !canKill) {
  process.stderr.write(
    `\n${'!'.repeat(72)}\n!! REDIS_URL points at a Redis this test run does not own: SKIPPING the outage test\n!! (it must stop and restart the server). Unset REDIS_URL to run it on a private redis-server.\n${'!'.repeat(72)}\n`,
  );
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!redis || !canKill)('a Redis outage fails closed and the relay recovers by itself', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix });
  });
  afterAll(async () => {
    await relay?.stop();
    await redis?.stop();
  });

  it('answers 503 with a sentence and closes sockets with 4503 while Redis is down, then works again', async () => {
    const ghost = await createGhost(over(relay.url));
    const keys = await createRoom(relay.url, { ghost });
    const alice = await joinedSocket(relay.url, keys);
    const staleToken = await joinToken(relay.url, keys);

    await redis!.kill!();

    const res = await fetch(`${relay.url}/api/rooms`, { method: 'POST', headers: { authorization: ghost.auth, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'unavailable', message: expect.stringMatching(/cannot reach its database.*try again/i) });
    const ghosts = await fetch(`${relay.url}/api/ghosts/me/footprint`, { headers: { authorization: ghost.auth } });
    expect(ghosts.status).toBe(503);
    expect((await fetch(`${relay.url}/health`)).status).toBe(503);

    alice.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8('lost?'))) });
    expect(await alice.next('error')).toMatchObject({ code: 'unavailable' });
    expect((await alice.waitClosed()).code).toBe(4503);
    const late = await TestSocket.open(relay.url);
    late.send({ v: PROTOCOL_VERSION, type: 'join', token: staleToken });
    expect((await late.waitClosed()).code).toBe(4503);

    await redis!.restart!();

    // No restart of the relay: ioredis reconnects by itself.
    await until('the relay to see Redis again', async () => ((await fetch(`${relay.url}/health`)).status === 200 ? true : undefined));
    // The restarted Redis is empty (no persistence): old sessions and old join tokens are gone for good.
    expect((await fetch(`${relay.url}/api/ghosts/me/footprint`, { headers: { authorization: ghost.auth } })).status).toBe(401);
    const replay = await TestSocket.open(relay.url);
    replay.send({ v: PROTOCOL_VERSION, type: 'join', token: staleToken });
    expect((await replay.waitClosed()).code).toBe(4401);

    const fresh = await createGhost(over(relay.url));
    const room = await createRoom(relay.url, { ghost: fresh });
    const a = await joinedSocket(relay.url, room);
    const b = await joinedSocket(relay.url, room);
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: room.roomId, ref: 1, data: toBase64url(await seal(room.contentKey, room.roomId, utf8('back'))) });
    expect(await b.next('frame')).toMatchObject({ seq: 1 });
    a.close();
    b.close();
  });
});
