import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { CloseCode } from '../../protocol/src/codes.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { redisFixture, type RedisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, type TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const redis: RedisFixture | null = await redisFixture();
const frame = () => toBase64url(randomBytes(CHAT_FRAME_BYTES));

/** Sends one frame from `from` and waits until every socket in `to` has it. */
async function chat(from: TestSocket, room: string, to: TestSocket[], ref: number): Promise<void> {
  const data = frame();
  from.send({ v: PROTOCOL_VERSION, type: 'frame', room, ref, data });
  for (const s of to) await s.next('frame', (f) => f.data === data, 10_000);
}

/**
 * A rolling update: two relay processes on one Redis with one join secret;
 * one gets SIGTERM mid-chat, and its clients carry on through the other.
 * The room keeps a backlog, so a client that was on the drained instance
 * rejoins the other with the last seq it saw and gets what it missed, once
 * and in order (docs/self-hosting.md, "Rolling updates").
 */
describe.skipIf(!redis)('rolling update: two relays behind one Redis, one drained mid-chat', () => {
  let a: RelayProcess;
  let b: RelayProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix, JOIN_TOKEN_SECRET: randomBytes(32).toString('hex') };
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

  it('frames cross instances, and a client moved off a drained instance gets what it missed from the backlog, once, in order', async () => {
    const c = await startRelayProcess(env);
    try {
      const keys = await createRoom(b.url, { backlog: 50 });
      const alice = await joinedSocket(c.url, keys);
      const bob = await joinedSocket(b.url, keys);
      // Before the drain: each way across the two instances, over Redis pub/sub.
      await chat(alice, keys.roomId, [bob], 1);
      await chat(bob, keys.roomId, [alice], 2);
      const seen = Math.max(...alice.received.flatMap((m) => (m.type === 'frame' || m.type === 'sent' ? [m.seq] : [])));

      const exited = c.stop('SIGTERM');
      expect(await alice.waitClosed(10_000)).toEqual({ code: CloseCode.GoingAway, reason: 'reconnect elsewhere' });
      expect(await exited).toBe(0);

      // While Alice is away, Bob goes on talking.
      const missed: string[] = [];
      for (let ref = 3; ref <= 5; ref++) {
        const data = frame();
        missed.push(data);
        bob.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data });
        await bob.next('sent', (m) => m.ref === ref);
      }

      const back = await joinedSocket(b.url, keys, { lastSeq: seen });
      await chat(bob, keys.roomId, [back], 6);
      const frames = back.received.flatMap((m) => (m.type === 'frame' ? [m] : []));
      // The three missed, then the live one; nothing she had seen, nothing twice.
      expect(frames.map((f) => f.data).slice(0, 3)).toEqual(missed);
      expect(frames).toHaveLength(4);
      const seqs = frames.map((f) => f.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(seqs[0]).toBeGreaterThan(seen);
      for (const s of [back, bob]) s.close();
    } finally {
      await c.stop('SIGKILL');
    }
  });
});
