import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDSHAKE_MAX_BYTES } from '../../protocol/src/limits.js';
import { base64urlLength } from '../../protocol/src/messages/common.js';
import { loadConfig } from '../../relay/src/config.js';
import { startRelay } from '../../relay/src/server.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, type TestRoom, type TestSocket, textFrame } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const redis = await redisFixture();
afterAll(async () => {
  await redis?.stop();
});

/** An opaque handshake blob: the relay never reads it, so random base64url stands in for an MLSMessage. */
const blob = (bytes = 200) => randomBytes(bytes).toString('base64url');
const commit = (keys: TestRoom, ref: number, epoch: number, data: string, welcome?: string) => ({
  v: PROTOCOL_VERSION,
  type: 'commit',
  room: keys.roomId,
  ref,
  epoch,
  data,
  ...(welcome === undefined ? {} : { welcome }),
});

/** How the relay answered the commit with `ref`: its `committed`, or its error. */
async function answer(s: TestSocket, ref: number, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const hit = s.received.find((m) => (m.type === 'committed' || m.type === 'error') && m.ref === ref);
    if (hit?.type === 'committed' || hit?.type === 'error') return hit;
    if (Date.now() > end) throw new Error(`no answer to commit ${ref}; got ${JSON.stringify(s.received.map((m) => m.type))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!redis)('MLS delivery service: two relay instances on one Redis order commits', () => {
  let a: RelayProcess;
  let b: RelayProcess;

  beforeAll(async () => {
    // A small bucket, so the hostile case reaches it quickly; honest members stay far below it.
    const env = {
      REDIS_URL: redis!.url,
      REDIS_PREFIX: redis!.prefix,
      JOIN_TOKEN_SECRET: randomBytes(32).toString('hex'),
      WS_RATE_BURST: '60',
      WS_RATE_PER_SECOND: '20',
    };
    [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const frame = textFrame;

  it('accepts exactly one of two commits made in the same epoch at once; the loser re-bases and wins the next', async () => {
    const keys = await createRoom(a.url, { capacity: 8, backlog: 20 });
    const alice = await joinedSocket(a.url, keys);
    const bob = await joinedSocket(b.url, keys);
    const carol = await joinedSocket(a.url, keys);
    for (const s of [alice, bob, carol]) expect(await s.next('joined')).toMatchObject({ epoch: 0 });
    const id = async (s: TestSocket) => (await s.next('joined')).member;
    const [aliceId, bobId] = [await id(alice), await id(bob)];

    alice.send(await frame(keys, 1, 'before the commits'));
    expect(await alice.next('sent')).toMatchObject({ ref: 1, seq: 1, delivered: 2 });

    const proposals = { alice: { data: blob(), welcome: blob(400) }, bob: { data: blob(), welcome: undefined } };
    alice.send(commit(keys, 2, 0, proposals.alice.data, proposals.alice.welcome));
    bob.send(commit(keys, 2, 0, proposals.bob.data));
    const [atAlice, atBob] = await Promise.all([answer(alice, 2), answer(bob, 2)]);
    const won = [atAlice, atBob].filter((m) => m.type === 'committed');
    expect(won).toHaveLength(1);
    const aliceWon = atAlice.type === 'committed';
    const [winner, loser] = aliceWon ? [alice, bob] : [bob, alice];
    const [winnerId, loserId] = aliceWon ? [aliceId, bobId] : [bobId, aliceId];
    const winning = aliceWon ? proposals.alice : proposals.bob;
    const committed = won[0]!;
    expect(committed).toEqual({ v: PROTOCOL_VERSION, type: 'committed', room: keys.roomId, ref: 2, seq: 2, epoch: 1, delivered: 2 });
    expect(aliceWon ? atBob : atAlice).toMatchObject({ type: 'error', code: 'stale_epoch', ref: 2, epoch: 1 });
    expect(loser.closed).toBeNull();

    // The loser and the bystander (one on each instance) hear the winner's commit, under the seq its committer got.
    const heard = { v: PROTOCOL_VERSION, type: 'commit', room: keys.roomId, seq: committed.seq, from: winnerId, epoch: 0, data: winning.data, ...(winning.welcome ? { welcome: winning.welcome } : {}) };
    expect(await loser.next('commit')).toEqual(heard);
    expect(await carol.next('commit')).toEqual(heard);

    // Re-based on the winner's commit, the loser commits in the new epoch and wins it.
    const retry = blob();
    loser.send(commit(keys, 3, 1, retry));
    expect(await answer(loser, 3)).toEqual({ v: PROTOCOL_VERSION, type: 'committed', room: keys.roomId, ref: 3, seq: 3, epoch: 2, delivered: 2 });
    for (const s of [winner, carol]) expect(await s.next('commit', (m) => m.seq === 3)).toMatchObject({ from: loserId, epoch: 1, data: retry });
    await new Promise((r) => setTimeout(r, 200));
    // Nobody hears their own commit back, and the refused one reached no one.
    for (const s of [alice, bob]) expect(s.received.filter((m) => m.type === 'commit')).toHaveLength(1);
    expect(carol.received.filter((m) => m.type === 'commit').map((m) => m.seq)).toEqual([2, 3]);

    // A late joiner on the other instance learns the epoch, and the backlog replays frames and commits in one seq order.
    const dave = await joinedSocket(aliceWon ? b.url : a.url, keys);
    expect(await dave.next('joined')).toMatchObject({ seq: 3, epoch: 2 });
    await dave.next('commit', (m) => m.seq === 3);
    expect(dave.received.filter((m) => m.type === 'frame' || m.type === 'commit').map((m) => `${m.type}:${'seq' in m ? m.seq : ''}`)).toEqual(['frame:1', 'commit:2', 'commit:3']);
    // A stale commit from another instance's socket learns the epoch moved on twice.
    dave.send(commit(keys, 4, 1, blob()));
    expect(await answer(dave, 4)).toMatchObject({ code: 'stale_epoch', epoch: 2 });
    for (const s of [alice, bob, carol, dave]) s.close();
  });

  it('carries a commit whose data and welcome are each HANDSHAKE_MAX_BYTES, and refuses a byte more', async () => {
    const keys = await createRoom(a.url);
    const alice = await joinedSocket(a.url, keys);
    const bob = await joinedSocket(b.url, keys);
    const max = 'A'.repeat(base64urlLength(HANDSHAKE_MAX_BYTES));
    alice.send(commit(keys, 1, 0, max, max));
    expect(await answer(alice, 1)).toMatchObject({ type: 'committed', epoch: 1, delivered: 1 });
    const heard = await bob.next('commit', () => true, 10_000);
    expect(heard.data.length + (heard.welcome?.length ?? 0)).toBe(2 * max.length);
    bob.send(commit(keys, 2, 1, `${max}A`));
    // Refused by the schema (so without its ref), and closed as any malformed message is.
    expect(await bob.next('error', (e) => e.code === 'bad_request')).toBeTruthy();
    expect((await bob.waitClosed()).code).toBe(4400);
    alice.close();
  });

  it('answers a client spamming stale commits with typed errors, then its rate limit, while the others chat', async () => {
    const keys = await createRoom(a.url, { capacity: 4 });
    const alice = await joinedSocket(a.url, keys);
    const bob = await joinedSocket(b.url, keys);
    const mallory = await joinedSocket(b.url, keys);
    mallory.send(commit(keys, 1, 0, blob()));
    expect(await answer(mallory, 1)).toMatchObject({ type: 'committed', epoch: 1 });

    let ref = 1000;
    const chat = async (from: TestSocket, to: TestSocket) => {
      const msg = await frame(keys, ++ref, `honest ${ref}`);
      from.send(msg);
      expect((await from.next('sent', (s) => s.ref === ref)).delivered).toBeGreaterThanOrEqual(1);
      await to.next('frame', (f) => f.data === msg.data);
    };
    // Within its bucket (WS_RATE_BURST 60), every stale commit gets its typed error and the socket stays open.
    const spam = blob(4096);
    for (let r = 2; r < 42; r++) mallory.send(commit(keys, r, 0, spam));
    await chat(alice, bob);
    await mallory.next('error', (e) => e.ref === 41);
    expect(mallory.closed).toBeNull();
    // Far more than the bucket holds: the rate limit closes it, and the others chat on.
    for (let r = 42; r < 400; r++) mallory.send(commit(keys, r, 0, spam));
    for (let i = 0; i < 5; i++) {
      await chat(alice, bob);
      await chat(bob, alice);
    }

    expect((await mallory.waitClosed()).code).toBe(4429);
    const errors = mallory.received.filter((m) => m.type === 'error');
    const stale = errors.filter((e) => e.code === 'stale_epoch');
    expect(stale.length).toBeGreaterThanOrEqual(40);
    expect(stale.every((e) => e.epoch === 1 && e.ref !== undefined)).toBe(true);
    expect(errors.at(-1)).toMatchObject({ code: 'rate_limited' });
    expect(errors.every((e) => e.code === 'stale_epoch' || e.code === 'rate_limited')).toBe(true);
    // The spam moved nothing: the others heard one commit, and the room is still at epoch 1.
    for (const s of [alice, bob]) expect(s.received.filter((m) => m.type === 'commit')).toHaveLength(1);
    alice.send(commit(keys, 999, 1, blob()));
    expect(await answer(alice, 999)).toMatchObject({ type: 'committed', epoch: 2 });
    alice.close();
    bob.close();
  });
});

describe('MLS delivery service: one relay with the embedded store', () => {
  it('accepts one of many commits made in the same epoch at once and tells every other its new epoch', async () => {
    const relay = await startRelay(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STATIC_DIR: '/nonexistent-ghostwire-static' }));
    try {
      const keys = await createRoom(relay.url, { capacity: 8 });
      const members = await Promise.all(Array.from({ length: 5 }, () => joinedSocket(relay.url, keys)));
      members.forEach((s, i) => s.send(commit(keys, 1, 0, blob(100 + i))));
      const answers = await Promise.all(members.map((s) => answer(s, 1)));
      const won = answers.filter((m) => m.type === 'committed');
      expect(won).toEqual([{ v: PROTOCOL_VERSION, type: 'committed', room: keys.roomId, ref: 1, seq: 1, epoch: 1, delivered: 4 }]);
      expect(answers.filter((m) => m.type === 'error').map((e) => [e.code, e.epoch])).toEqual(Array.from({ length: 4 }, () => ['stale_epoch', 1]));
      const losers = members.filter((_, i) => answers[i]!.type === 'error');
      for (const s of losers) expect(await s.next('commit')).toMatchObject({ seq: 1, epoch: 0 });
      for (const s of members) s.close();
    } finally {
      await relay.close();
    }
  });
});
