import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromBase64url, toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, deriveInviteKey } from '../../protocol/src/crypto/derive.js';
import { open, seal } from '../../protocol/src/crypto/seal.js';
import { createMember, sealJoinRequest } from '../../protocol/src/mls/index.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';
import { JOINING_NOTICE, MLS_REMOVE_AFTER_MS, type MlsCipher } from '../../web/src/models/mls-cipher.js';
import { RoomSession } from '../../web/src/models/room.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { aliceAndBob, cipherOf, mlsEnv, secretOf, until } from '../support/mls.js';
import { joinedSocket, type TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const redis = await redisFixture();
afterAll(async () => {
  await redis?.stop();
});

const closeSocket = (s: RoomSession): void => (s as unknown as { client: { close(): void } }).client.close();
const bodies = (s: RoomSession): string[] => s.messages.value.filter((m) => m.kind === 'text').map((m) => m.body);
type Frame = Extract<ServerMessage, { type: 'frame' }>;
const frames = (rec: TestSocket, after = 0): Frame[] => rec.received.filter((m): m is Frame => m.type === 'frame' && m.seq > after);

/** How many of these recorded frames open to a whole message for this cipher. */
async function readable(c: MlsCipher, list: Frame[]): Promise<number> {
  let n = 0;
  for (const f of list) if ((await c.receive(f.from, fromBase64url(f.data))).status === 'message') n++;
  return n;
}

/**
 * MLS rooms (issue 19) with the PWA's own room model (RoomSession with the
 * MLS cipher) in Node, over two real relay processes on one private Redis,
 * with a raw socket recording everything the relay hands out.
 */
describe.skipIf(!redis)('MLS rooms over the real relay: forward secrecy at removal and join, invite-key join requests', () => {
  let a: RelayProcess;
  let b: RelayProcess;
  const sessions: RoomSession[] = [];
  beforeAll(async () => {
    const env = { REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix, JOIN_TOKEN_SECRET: randomBytes(32).toString('hex') };
    [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
  });
  afterAll(async () => {
    for (const s of sessions) s.wipe();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const join = async (link: string, relay: RelayProcess) => {
    const s = await RoomSession.join(secretOf(link), mlsEnv(relay.url));
    sessions.push(s);
    return s;
  };

  /** Alice starts an MLS group on relay a; with the room's secret and keys. */
  const aliceStarts = async () => {
    const alice = await RoomSession.create(mlsEnv(a.url));
    sessions.push(alice);
    await until(() => alice.safetyCode.value !== '', 'alice starts the group');
    const secret = fromBase64url(secretOf(alice.link));
    return { alice, secret, keys: await deriveRoomKeys(secret) };
  };

  /** A raw socket joined through relay b, and the frame of a join request from it sealed with `inviteKey` (base64url). */
  const rawJoiner = async (keys: Awaited<ReturnType<typeof deriveRoomKeys>>, inviteKey: CryptoKey) => {
    const socket = await joinedSocket(b.url, keys);
    const id = socket.received.find((m) => m.type === 'joined')!.member;
    const leaf = await createMember(id);
    const request = await sealJoinRequest(inviteKey, keys.roomId, id, leaf.keyPackageBytes);
    return { socket, frame: toBase64url(await seal(keys.contentKey, keys.roomId, concatBytes(new Uint8Array([2]), request))) };
  };

  it('a member removed reads nothing after, a joiner nothing before, and the link with the recording reads nothing at all', async () => {
    const { alice, keys } = await aliceStarts();
    // What the relay hands out, recorded by a socket that holds the link (so the room key) but is never added to the group.
    const rec = await joinedSocket(b.url, keys);

    const bob = await join(alice.link, b);
    await until(() => cipherOf(alice).groupMembers().length === 2 && bob.safetyCode.value === alice.safetyCode.value, 'bob is added');
    const codeWithBob = alice.safetyCode.value;
    await alice.send('before carol');
    await bob.send('bob, before carol');
    await until(() => bodies(bob).includes('before carol') && bodies(alice).includes('bob, before carol'), 'alice and bob read each other');
    const beforeCarol = frames(rec);
    expect(beforeCarol.length).toBeGreaterThanOrEqual(2);

    const carol = await join(alice.link, a);
    await until(() => cipherOf(alice).groupMembers().length === 3 && carol.safetyCode.value === alice.safetyCode.value && bob.safetyCode.value === alice.safetyCode.value, 'carol is added');
    expect(alice.safetyCode.value).not.toBe(codeWithBob);
    // Test 2: a joiner holding the link and the recording of everything before its join reads none of it.
    expect(await readable(cipherOf(carol), beforeCarol)).toBe(0);
    expect(bodies(carol)).not.toContain('before carol');
    await carol.send('carol is here');
    await until(() => bodies(alice).includes('carol is here') && bodies(bob).includes('carol is here'), 'carol is read');

    // Bob's socket goes and stays gone: the acting member removes him from the group.
    const lastSeqWithBob = Math.max(...rec.received.map((m) => (m.type === 'frame' || m.type === 'commit' ? m.seq : 0)));
    closeSocket(bob);
    // Sent while Bob is away but still a member: the control that shows a recorded frame does open for him.
    await alice.send('while bob is away');
    await until(() => bodies(carol).includes('while bob is away'), 'carol reads it');
    const whileAway = frames(rec, lastSeqWithBob);
    await until(() => cipherOf(alice).groupMembers().length === 2 && cipherOf(carol).groupMembers().length === 2, 'bob is removed', MLS_REMOVE_AFTER_MS + 10_000);
    await alice.send('after bob left');
    await until(() => bodies(carol).includes('after bob left'), 'carol reads on');
    const removalSeq = Math.min(...rec.received.flatMap((m) => (m.type === 'commit' && m.seq > lastSeqWithBob ? [m.seq] : [])));
    const afterBob = frames(rec, removalSeq);
    expect(afterBob.length).toBeGreaterThanOrEqual(1);
    // Test 1: Bob kept his group state; with the recording of the frames after his removal he reads none.
    expect(await readable(cipherOf(bob), afterBob)).toBe(0);
    expect(await readable(cipherOf(bob), whileAway)).toBe(1);
    // Nor once he is handed the removal commit itself.
    const removal = rec.received.filter((m) => m.type === 'commit' && m.seq >= removalSeq);
    expect(removal.length).toBeGreaterThanOrEqual(1);
    for (const c of removal) await cipherOf(bob).onServer(c);
    expect(cipherOf(bob).groupMembers()).toEqual([]);
    expect(await readable(cipherOf(bob), afterBob)).toBe(0);

    // The link alone (the room key) opens the outer wrapping of every recorded frame, and finds only MLS ciphertext.
    for (const f of frames(rec)) {
      const inner = await open(keys.contentKey, keys.roomId, fromBase64url(f.data));
      for (const text of ['before carol', 'carol is here', 'after bob left']) expect(Buffer.from(inner).includes(Buffer.from(text))).toBe(false);
    }
    rec.close();
  });

  it('two members who commit in one epoch at once, on two instances: one wins, the other re-bases, all converge', async () => {
    // Bob's add and his first self-update are done: nothing else is in flight when both commit.
    const { alice, bob, ca, cb } = await aliceAndBob(a.url, b.url, sessions);
    const start = ca.epoch;
    await Promise.all([ca.rekey(), cb.rekey()]);
    // Both commits were built on `start`: the relay takes one, the loser re-bases and commits again in start + 1.
    await until(() => ca.epoch === start + 2 && cb.epoch === start + 2 && ca.settled && cb.settled && alice.safetyCode.value === bob.safetyCode.value, 'both commits land, one after the other', 20_000);
    expect(ca.staleRetries + cb.staleRetries).toBe(1);
    // Both instances (one Redis) give a newcomer the same epoch: two commits accepted, not three.
    const keys = await deriveRoomKeys(fromBase64url(secretOf(alice.link)));
    for (const relay of [a, b]) {
      const probe = await joinedSocket(relay.url, keys);
      const joined = probe.received.find((m) => m.type === 'joined');
      expect(joined?.type === 'joined' ? joined.epoch : undefined).toBe(start + 2);
      probe.close();
    }
    await alice.send('after the race');
    await bob.send('bob after the race');
    await until(() => bodies(bob).includes('after the race') && bodies(alice).includes('bob after the race'), 'both read on');
  });

  it('a member whose socket drops and comes back within the grace stays in the group (its bind) and reads on', async () => {
    const { alice, bob, ca, cb } = await aliceAndBob(a.url, b.url, sessions);
    const epoch = ca.epoch;
    // The network goes, not the member: the socket dies without a close and the client reconnects under a new member id.
    (bob as unknown as { client: { ws: WebSocket } }).client.ws.terminate();
    await until(() => bob.connection.value.phase !== 'open', 'bob notices the drop');
    await until(() => bob.connection.value.phase === 'open' && cb.settled, 'bob is back');
    await alice.send('while you were away, briefly');
    await until(() => bodies(bob).includes('while you were away, briefly'), 'bob reads on');
    // Past the removal grace, Bob is still a member: his bind told the group his new member id, so nobody removed him.
    await new Promise((r) => setTimeout(r, MLS_REMOVE_AFTER_MS + 2_000));
    expect(ca.groupMembers()).toHaveLength(2);
    expect(ca.epoch).toBe(epoch);
    expect(ca.faults.get('removed') ?? 0).toBe(0);
    expect(cb.faults.get('removed') ?? 0).toBe(0);
    await bob.send('still here');
    await until(() => bodies(alice).includes('still here'), 'alice reads bob');
  });

  it('refuses a join request not sealed with the invite key; a joiner through the other instance is added and reads', async () => {
    const { alice, keys } = await aliceStarts();

    // Someone with the room key but another room's invite key (as a relay that made up a member would lack it).
    const { socket: mallory, frame } = await rawJoiner(keys, await deriveInviteKey(newRoomSecret()));
    mallory.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: frame });
    await until(() => alice.notice.value?.includes('tried to join') === true, 'alice refuses the forged join');
    expect(cipherOf(alice).groupMembers()).toHaveLength(1);
    mallory.close();

    const bob = await join(alice.link, b);
    const bobNotices: Array<string | null> = [];
    const unwatch = bob.notice.subscribe((n) => bobNotices.push(n));
    await until(() => cipherOf(alice).groupMembers().length === 2 && bob.safetyCode.value === alice.safetyCode.value, 'bob is added');
    // While he waited to be let in, Bob was told so; once in (his first commit made), the notice is gone.
    await until(() => cipherOf(bob).settled && bob.notice.value === null, 'bob is told he is in');
    unwatch();
    expect(bobNotices).toContain(JOINING_NOTICE);
    await bob.send('bob after joining');
    await alice.send('alice to bob');
    await until(() => bodies(alice).includes('bob after joining') && bodies(bob).includes('alice to bob'), 'both read on');
  });

  it('a join request sent again while the commit adding its sender is in flight is dropped once the add lands, not added twice', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      const { alice, secret, keys } = await aliceStarts();
      // A joiner that asks twice at once (as one does when its first request seems to go unanswered): Alice takes the
      // first into a commit, and the second reaches her before the relay confirms that commit.
      const { socket: xavier, frame } = await rawJoiner(keys, await deriveInviteKey(secret));
      xavier.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: frame });
      xavier.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 2, data: frame });
      await until(() => cipherOf(alice).groupMembers().length === 2 && cipherOf(alice).settled, 'alice adds xavier once');
      await new Promise((r) => setTimeout(r, 300));
      expect(rejections).toEqual([]);
      expect(cipherOf(alice).groupMembers()).toHaveLength(2);
      xavier.close();
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
