import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { CloseCode } from '../../protocol/src/codes.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { redisFixture, type RedisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, type TestSocket } from '../support/ws-client.js';

const redis: RedisFixture | null = await redisFixture();
const frame = () => toBase64url(randomBytes(CHAT_FRAME_BYTES));

/** Sends one frame from `from` and waits until every socket in `to` has it. */
async function chat(from: TestSocket, room: string, to: TestSocket[], ref: number): Promise<void> {
  const data = frame();
  from.send({ v: 1, type: 'frame', room, ref, data });
  for (const s of to) await s.next('frame', (f) => f.data === data, 10_000);
}

/**
 * A rolling update: two relay processes on one Redis with one join secret;
 * one gets SIGTERM mid-chat, and its clients carry on through the other.
 *
 * Not yet here (needs the relay-state work, issue 3, on this branch): frames
 * between a client on A and a client on B *before* the SIGTERM (cross-
 * instance fanout over Redis pub/sub), and the room backlog replaying what a
 * reconnecting client missed.
 */
describe.skipIf(!redis)('rolling update: two relays behind one Redis, one drained mid-chat', () => {
  let a: RelayProcess;
  let b: RelayProcess;

  beforeAll(async () => {
    const env = { REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix, JOIN_TOKEN_SECRET: randomBytes(32).toString('hex') };
    [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
  });
  afterAll(async () => {
    await a?.stop('SIGKILL');
    await b?.stop('SIGKILL');
    await redis?.stop();
  });

  it("moves A's clients to B with 1001, and the room carries on there", async () => {
    // The room lives in Redis: created through A, joined through both.
    const keys = await createRoom(a.url);
    const onA = [await joinedSocket(a.url, keys), await joinedSocket(a.url, keys)];
    const onB = await joinedSocket(b.url, keys);
    await chat(onA[0]!, keys.roomId, [onA[1]!], 1);

    const exited = a.stop('SIGTERM');
    for (const s of onA) expect(await s.waitClosed(10_000)).toEqual({ code: CloseCode.GoingAway, reason: 'reconnect elsewhere' });
    expect(await exited).toBe(0);
    // B stays ready through A's drain.
    expect((await fetch(`${b.url}/ready`)).status).toBe(200);

    // "Reconnect elsewhere": a fresh token from B (the same secret verifies it), the same room.
    const moved = [await joinedSocket(b.url, keys), await joinedSocket(b.url, keys)];
    await chat(moved[0]!, keys.roomId, [moved[1]!, onB], 2);
    await chat(onB, keys.roomId, moved, 3);
    for (const s of [...moved, onB]) s.close();
  });
});
