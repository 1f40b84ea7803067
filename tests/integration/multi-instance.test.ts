import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { INVITE_TICKET_TTL_SECONDS } from '../../protocol/src/limits.js';
import { KeyLayout } from '../../relay/src/store/redis-keys.js';
import { JoinTokens } from '../../relay/src/tokens.js';
import { createGhost, newPublicKey, over, solveChallenge } from '../support/ghost.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, joinToken, TestSocket, textFrame } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const redis = await redisFixture();
afterAll(async () => {
  await redis?.stop();
});

/** Every key under this run's prefix (test-side only: the relay never scans). */
async function keysOf(r: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

describe.skipIf(!redis)('several relay instances on one Redis behave as one relay', () => {
  let a: RelayProcess;
  let b: RelayProcess;
  let r: Redis;
  const prefix = redis?.prefix ?? '';

  beforeAll(async () => {
    // Instances share the Redis, the key prefix and the HMAC secret, as a deployment would.
    const env = { REDIS_URL: redis!.url, REDIS_PREFIX: prefix, JOIN_TOKEN_SECRET: randomBytes(32).toString('hex') };
    [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
    r = new Redis(redis!.url);
  });
  afterAll(async () => {
    r?.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const frame = textFrame;

  it('fans frames and presence out across instances, numbered in one sequence', async () => {
    const keys = await createRoom(a.url);
    const alice = await joinedSocket(a.url, keys);
    const bob = await joinedSocket(b.url, keys);
    const bobJoined = await bob.next('joined');
    const aliceJoined = await alice.next('joined');
    // B knows about the member A holds, and A hears B's member arrive.
    expect(bobJoined.members).toEqual([aliceJoined.member]);
    expect(await alice.next('presence', (p) => p.member === bobJoined.member && p.event === 'join')).toBeTruthy();

    alice.send(await frame(keys, 1, 'from a'));
    const atBob = await bob.next('frame');
    expect(atBob).toMatchObject({ seq: 1, from: aliceJoined.member });
    expect(await alice.next('sent')).toMatchObject({ ref: 1, seq: 1, delivered: 1 });

    bob.send(await frame(keys, 2, 'from b'));
    expect(await alice.next('frame')).toMatchObject({ seq: 2, from: bobJoined.member });
    expect(await bob.next('sent')).toMatchObject({ ref: 2, seq: 2, delivered: 1 });
    // Nobody hears their own frame back through the bus.
    await new Promise((res) => setTimeout(res, 200));
    expect(alice.received.filter((m) => m.type === 'frame')).toHaveLength(1);
    expect(bob.received.filter((m) => m.type === 'frame')).toHaveLength(1);

    bob.close();
    expect(await alice.next('presence', (p) => p.member === bobJoined.member && p.event === 'leave')).toBeTruthy();
    alice.close();
  });

  it('refuses a join token replayed on the other instance', async () => {
    const keys = await createRoom(a.url);
    const token = await joinToken(a.url, keys);
    const first = await TestSocket.open(a.url);
    first.send({ v: PROTOCOL_VERSION, type: 'join', token });
    await first.next('joined');
    const replay = await TestSocket.open(b.url);
    replay.send({ v: PROTOCOL_VERSION, type: 'join', token });
    expect(await replay.next('error')).toMatchObject({ code: 'unauthorized' });
    expect((await replay.waitClosed()).code).toBe(4401);
    first.close();
  });

  it('refuses a proof-of-work solution replayed on the other instance', async () => {
    const pow = await solveChallenge(over(a.url));
    const create = (base: string) =>
      newPublicKey().then((publicKey) =>
        fetch(`${base}/api/ghosts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pow, publicKey }) }),
      );
    expect((await create(a.url)).status).toBe(201);
    const replay = await create(b.url);
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: 'pow_invalid', message: /already used/ });
  });

  it('destroying a ghost on A removes every key it owns and closes its socket on B', async () => {
    const doomed = await createGhost(over(a.url));
    const bystander = await createGhost(over(a.url));
    const keys = await createRoom(a.url, { ghost: doomed });
    const onB = await joinedSocket(b.url, keys, doomed);
    const onA = await joinedSocket(a.url, keys, bystander);
    const doomedMember = (await onB.next('joined')).member;
    const id = doomed.ghostId;
    const layout = new KeyLayout(prefix);
    const members = layout.room(keys.roomId).members;
    const g = layout.ghost(id);

    // What the relay holds for it: its record, its key index, its rate-limit buckets, a membership.
    const before = (await keysOf(r, prefix)).filter((k) => k.includes(id));
    expect(before.some((k) => k === g.ghost)).toBe(true);
    expect(before.some((k) => k === g.gkeys)).toBe(true);
    expect(before.some((k) => k.startsWith(g.bucket('')))).toBe(true);
    expect((await r.hvals(members)).some((v) => v.startsWith(id))).toBe(true);
    const footprint = await (await fetch(`${a.url}/api/ghosts/me/footprint`, { headers: { authorization: doomed.auth } })).json();
    expect(footprint.records.map((x: { kind: string }) => x.kind).sort()).toEqual(['ghost', 'key-index', 'membership', 'rate-limit']);

    const del = await fetch(`${a.url}/api/ghosts/me`, { method: 'DELETE', headers: { authorization: doomed.auth } });
    expect(del.status).toBe(204);
    expect(del.headers.get('clear-site-data')).toBe('"cache", "storage"');

    expect(await onB.next('error')).toMatchObject({ code: 'ghost_destroyed' });
    expect((await onB.waitClosed()).code).toBe(4411);
    expect(await onA.next('presence', (p) => p.member === doomedMember && p.event === 'leave')).toBeTruthy();

    const after = (await keysOf(r, prefix)).filter((k) => k.includes(id));
    expect(after).toEqual([]);
    expect((await r.hvals(members)).some((v) => v.startsWith(id))).toBe(false);
    expect((await r.zrange(layout.index('ghosts'), 0, -1)).some((m) => m.endsWith(id))).toBe(false);
    // The room and the other member carry on.
    expect(await r.hlen(members)).toBe(1);
    expect((await fetch(`${b.url}/api/ghosts/me/footprint`, { headers: { authorization: doomed.auth } })).status).toBe(401);
    onA.close();
  });

  it('gives aggregate stats that agree across instances', async () => {
    // Counters reach Redis in batches (redis-counters.ts), so under load the last ones may still be on
    // their way: wait until both instances have seen them, then they must agree.
    const stats = () => Promise.all([a.url, b.url].map(async (u) => (await fetch(`${u}/api/stats`)).json()));
    await expect
      .poll(async () => {
        const [x, y] = await stats();
        return x.messagesLastHour >= 2 && x.messagesLastHour === y.messagesLastHour && x.roomsCreatedLastHour === y.roomsCreatedLastHour;
      }, { timeout: 10_000 })
      .toBe(true);
    const [sa, sb] = await stats();
    expect(sa.activeGhosts).toBeGreaterThan(0);
    expect(sa.roomsCreatedLastHour).toBeGreaterThanOrEqual(3);
    expect(sa.messagesLastHour).toBeGreaterThanOrEqual(2);
    expect(sb).toMatchObject({ roomsCreatedLastHour: sa.roomsCreatedLastHour, messagesLastHour: sa.messagesLastHour });
  });
});

describe.skipIf(!redis)('rotating invites across instances', () => {
  let a: RelayProcess;
  let b: RelayProcess;
  const secret = randomBytes(32).toString('hex');
  const prefix = `${redis?.prefix ?? ''}inv:`;
  beforeAll(async () => {
    const env = { REDIS_URL: redis!.url, REDIS_PREFIX: prefix, JOIN_TOKEN_SECRET: secret };
    [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const post = (base: string, path: string, body: unknown, auth: string) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
  /** The store epoch the relays bind tokens to (test-side read of their shared Redis). */
  async function redisEpoch(): Promise<string> {
    const r = new Redis(redis!.url);
    try {
      return (await r.get(new KeyLayout(prefix).epoch)) ?? '';
    } finally {
      r.disconnect();
    }
  }
  /** A room with invites on A, its creator joined on A with the ticket its creation came with. */
  async function ticketRoom() {
    const host = await createGhost(over(a.url));
    const keys = await deriveRoomKeys(newRoomSecret());
    const created = await post(a.url, '/api/rooms', { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, invites: true }, host.auth);
    const { ticket } = (await created.json()) as { ticket: string };
    const socket = await TestSocket.open(a.url);
    socket.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(a.url, { ...keys, ghost: host }, host, ticket) });
    await socket.next('joined');
    const ask = (base: string, g: { auth: string }, t?: string) =>
      post(base, `/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey), ...(t ? { ticket: t } : {}) }, g.auth);
    return { host, keys, socket, ask };
  }

  it('admits one joiner on B with a ticket minted on A, once; an expired ticket is refused', async () => {
    const { host, keys, socket, ask } = await ticketRoom();
    const minted = await post(a.url, `/api/rooms/${keys.roomId}/invites`, {}, host.auth);
    const { ticket } = (await minted.json()) as { ticket: string };
    const guest = await createGhost(over(b.url));
    const photo = await createGhost(over(a.url));
    const first = await ask(b.url, guest, ticket);
    expect(first.status).toBe(201);
    // The ghost it admitted may ask again, on the other instance, before it ever joins (its first socket may fail).
    expect((await ask(a.url, guest)).status).toBe(201);
    // The same ticket again, on either instance, by anyone: a photo of the QR code does not get in.
    for (const [base, g] of [[a.url, photo], [b.url, photo]] as const) {
      const again = await ask(base, g, ticket);
      expect(again.status).toBe(403);
      expect(await again.json()).toMatchObject({ error: 'invite_required' });
    }
    // A genuine ticket past its INVITE_TICKET_TTL_SECONDS (minted with the relays' own key on a clock 31 s behind).
    const epoch = await redisEpoch();
    const old = new JoinTokens(Buffer.from(secret, 'utf8'), () => Date.now() - (INVITE_TICKET_TTL_SECONDS + 1) * 1000).mintInvite(keys.roomId, epoch);
    expect(old.expiresAt).toBeLessThan(Date.now());
    const expired = await ask(b.url, photo, old.ticket);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: 'invite_required', message: /fresh invite/ });
    // The same key on a live clock is accepted: the refusal above was the expiry, not the forging.
    const live = new JoinTokens(Buffer.from(secret, 'utf8')).mintInvite(keys.roomId, epoch);
    expect((await ask(b.url, photo, live.ticket)).status).toBe(201);
    socket.close();
  });

  it('lets a ghost whose socket dropped rejoin without a ticket within the grace, on the other instance; nobody else', async () => {
    const { host, keys, socket, ask } = await ticketRoom();
    const minted = await post(a.url, `/api/rooms/${keys.roomId}/invites`, {}, host.auth);
    const { ticket } = (await minted.json()) as { ticket: string };
    const guest = await createGhost(over(b.url));
    const guestSocket = await TestSocket.open(b.url);
    guestSocket.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(b.url, keys, guest, ticket) });
    await guestSocket.next('joined');
    // While a member, no ticket is needed (a reconnect racing the relay noticing the drop).
    expect((await ask(a.url, guest)).status).toBe(201);
    guestSocket.close();
    await socket.next('presence', (p) => p.event === 'leave');
    // Gone from the room, but within ROOM_REJOIN_GRACE_SECONDS: back in through A without a ticket.
    const back = await TestSocket.open(a.url);
    back.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(a.url, keys, guest) });
    await back.next('joined');
    const stranger = await createGhost(over(a.url));
    for (const base of [a.url, b.url]) {
      const refused = await ask(base, stranger);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'invite_required' });
    }
    back.close();
    socket.close();
  });

  it('lets in only a ghost holding a fresh ticket that a member minted', async () => {
    const host = await createGhost(over(a.url));
    const guest = await createGhost(over(b.url));
    const keys = await deriveRoomKeys(newRoomSecret());
    const post = (base: string, path: string, body: unknown, auth: string) =>
      fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    const created = await post(a.url, '/api/rooms', { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, invites: true }, host.auth);
    expect(created.status).toBe(201);
    const { ticket: own } = (await created.json()) as { ticket: string };
    // The creator joins with the ticket its creation came with.
    const hostSocket = await TestSocket.open(a.url);
    hostSocket.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(a.url, { ...keys, ghost: host }, host, own) });
    await hostSocket.next('joined');

    const accessKey = toBase64url(keys.accessKey);
    const bare = await post(b.url, `/api/rooms/${keys.roomId}/join-tokens`, { accessKey }, guest.auth);
    expect(bare.status).toBe(403);
    expect(await bare.json()).toMatchObject({ error: 'invite_required', message: /fresh invite/ });
    // A non-member cannot mint tickets; a member can, on any instance.
    expect((await post(b.url, `/api/rooms/${keys.roomId}/invites`, {}, guest.auth)).status).toBe(404);
    const minted = await post(b.url, `/api/rooms/${keys.roomId}/invites`, {}, host.auth);
    expect(minted.status).toBe(201);
    const { ticket, expiresAt } = (await minted.json()) as { ticket: string; expiresAt: number };
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(30_000);
    const guestSocket = await TestSocket.open(b.url);
    guestSocket.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(b.url, keys, guest, ticket) });
    await guestSocket.next('joined');
    hostSocket.close();
    guestSocket.close();
  });
});
