import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { HEARTBEAT_TTL_MS } from '../../relay/src/store/redis-instances.js';
import { KeyLayout } from '../../relay/src/store/redis-keys.js';
import { directRoomId, generateEphemeral, newDirectSecret } from '../../protocol/src/crypto/direct.js';
import { DIRECT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { SignalSocket } from '../support/signal-socket.js';
import { createGhost, over, type TestGhost } from '../support/ghost.js';
import { clusterKeyTtls, masterOf, redisClusterFixture } from '../support/redis-cluster.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinToken, TestSocket, type TestRoom, textFrame } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const DAY = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cluster = await redisClusterFixture();

/**
 * An equivalent of ../shared/tools/ttl-watch.sh over every master of the
 * cluster: samples every key under the prefix while a test runs and records
 * any seen without a TTL or with one above 24 h.
 */
function ttlWatch(prefix: string) {
  const bad = new Set<string>();
  let samples = 0;
  let keys = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      try {
        const ttls = await clusterKeyTtls(cluster!, prefix);
        samples++;
        keys = Math.max(keys, ttls.size);
        for (const [k, t] of ttls) if (t === -1 || t > DAY) bad.add(`${k} ${t}`);
      } catch {
        // A node being killed mid-sample: the next sample reads the new master.
      }
      await sleep(200);
    }
  })();
  return {
    async done() {
      stop = true;
      await loop;
      return { bad: [...bad], samples, keys };
    },
  };
}

const frame = textFrame;

async function join(base: string, keys: TestRoom, ghost: TestGhost, lastSeq?: number): Promise<{ s: TestSocket; member: string }> {
  const s = await TestSocket.open(base);
  s.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(base, keys, ghost), ...(lastSeq === undefined ? {} : { lastSeq }) });
  const j = await s.next('joined', () => true, 10_000);
  return { s, member: j.member };
}

describe.skipIf(!cluster)('three relays on a Redis Cluster behave as one relay', () => {
  let relays: RelayProcess[] = [];
  let ghosts: TestGhost[] = [];
  const prefix = cluster?.prefix ?? '';
  const watch = cluster ? ttlWatch(prefix) : undefined;
  const env = () => ({
    REDIS_CLUSTER_NODES: cluster!.nodes,
    REDIS_PREFIX: prefix,
    JOIN_TOKEN_SECRET: secret,
    POW_DIFFICULTY: '8',
    WS_MAX_SOCKETS_PER_GHOST: '50',
  });
  const secret = randomBytes(32).toString('hex');

  beforeAll(async () => {
    relays = await Promise.all([0, 1, 2].map(() => startRelayProcess(env())));
    ghosts = await Promise.all(relays.map((r) => createGhost(over(r.url))));
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop('SIGKILL')));
    await cluster?.stop();
  });

  it('chats across all three: every member hears every other, numbered in one sequence', async () => {
    const keys = await createRoom(relays[0]!.url, { capacity: 6, ghost: ghosts[0] });
    const members = await Promise.all(relays.flatMap((r, i) => [join(r.url, keys, ghosts[i]!), join(r.url, keys, ghosts[i]!)]));
    await sleep(300);
    for (const [i, m] of members.entries()) m.s.send(await frame(keys, i + 1, `hello from ${i}`));
    for (const [i, m] of members.entries()) {
      const sent = await m.s.next('sent', (x) => x.ref === i + 1, 10_000);
      expect(sent.delivered).toBe(5);
    }
    for (const [i, m] of members.entries()) {
      await expect.poll(() => m.s.received.filter((x) => x.type === 'frame').length, { timeout: 10_000 }).toBe(5);
      const from = m.s.received.flatMap((x) => (x.type === 'frame' ? [x.from] : []));
      expect(new Set(from)).toEqual(new Set(members.filter((_, j) => j !== i).map((o) => o.member)));
    }
    const seqs = members.flatMap((m) => m.s.received.flatMap((x) => (x.type === 'sent' ? [x.seq] : [])));
    expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of members) m.s.close();
  }, 60_000);

  it('after SIGKILL of one relay in a full room, everyone is back within 5 s and counts are right within the heartbeat TTL', async () => {
    const keys = await createRoom(relays[0]!.url, { capacity: 9, ghost: ghosts[0] });
    const seats = await Promise.all(relays.flatMap((r, i) => [0, 1, 2].map(() => join(r.url, keys, ghosts[i]!).then((m) => ({ ...m, at: i })))));
    const layout = new KeyLayout(prefix);
    const victim = relays[2]!;
    const lost = seats.filter((x) => x.at === 2);
    const kept = seats.filter((x) => x.at !== 2);
    const t0 = Date.now();
    await victim.stop('SIGKILL');
    // Each client of the dead relay reconnects to a live one, as the PWA's backoff does, and must not be refused as full.
    const back = await Promise.all(
      lost.map(async (m, i) => {
        await m.s.waitClosed();
        const target = i % 2;
        const r = await join(relays[target]!.url, keys, ghosts[2]!);
        return { ...r, at: Date.now() - t0 };
      }),
    );
    console.info(`cluster: rejoined after SIGKILL in ${back.map((b) => b.at).join(', ')} ms`);
    for (const b of back) expect(b.at).toBeLessThan(5000);
    for (const b of back) expect(b.s.received.find((x) => x.type === 'error')).toBeUndefined();
    // The survivors hear the dead relay's members leave, within the heartbeat TTL plus a few seconds.
    for (const k of kept) {
      for (const gone of lost) await k.s.next('presence', (p) => p.member === gone.member && p.event === 'leave', HEARTBEAT_TTL_MS + 3000);
    }
    console.info(`cluster: every survivor heard the leaves ${Date.now() - t0} ms after SIGKILL`);
    expect(Date.now() - t0).toBeLessThan(HEARTBEAT_TTL_MS + 5000);
    // Exactly the nine live members remain, and a frame counts only them.
    const cc = await import('ioredis').then(({ Cluster }) => new Cluster(cluster!.nodes.split(',').map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) }))));
    expect(await cc.hlen(layout.room(keys.roomId).members)).toBe(9);
    cc.disconnect();
    kept[0]!.s.send(await frame(keys, 99, 'after the crash'));
    expect((await kept[0]!.s.next('sent', (x) => x.ref === 99, 10_000)).delivered).toBe(8);
    for (const m of [...kept, ...back]) m.s.close();
    // Bring a third relay back for the next test.
    relays[2] = await startRelayProcess(env());
  }, 60_000);

  it('when a master dies its replica takes over: service is back within 10 s and no acknowledged frame of a backlog room is lost', async () => {
    const keys = await createRoom(relays[0]!.url, { capacity: 4, backlog: 100, ghost: ghosts[0] });
    const layout = new KeyLayout(prefix);
    const master = await masterOf(cluster!, layout.room(keys.roomId).room);
    let sender = await join(relays[0]!.url, keys, ghosts[0]!);
    const acked = new Map<number, number>();
    const firstSent = new Map<number, number>();
    let ref = 0;
    let killedAt = Infinity;
    /** When the first frame sent after the master died was acknowledged. */
    let recoveredAt = 0;
    let stop = false;
    // A sender that sends every 150 ms (the backlog keeps 100), and after a drop reconnects and resends what was not acknowledged (as the PWA does).
    const pending = new Map<number, Awaited<ReturnType<typeof frame>>>();
    const sending = (async () => {
      while (!stop) {
        if (sender.s.closed) {
          try {
            sender = await join(relays[(ref % 3)]!.url, keys, ghosts[0]!);
            for (const f of pending.values()) sender.s.send(f);
          } catch {
            await sleep(200);
            continue;
          }
        }
        const f = await frame(keys, ++ref, `n${ref}`);
        pending.set(ref, f);
        firstSent.set(ref, Date.now());
        sender.s.send(f);
        for (const m of sender.s.received) {
          if (m.type === 'sent' && pending.has(m.ref)) {
            pending.delete(m.ref);
            acked.set(m.ref, m.seq);
            if (!recoveredAt && firstSent.get(m.ref)! > killedAt) recoveredAt = Date.now();
          }
        }
        await sleep(150);
      }
    })();
    // Warm-up: frames flow before the kill (polled, not slept: the machine is shared and slow).
    await expect.poll(() => acked.size, { timeout: 10_000, interval: 100 }).toBeGreaterThan(5);
    const before = acked.size;
    killedAt = Date.now();
    await master.kill();
    // Service returns: a frame sent after the master died is acknowledged within 10 s.
    await expect.poll(() => recoveredAt > 0, { timeout: 12_000, interval: 100 }).toBe(true);
    const recoveredMs = recoveredAt - killedAt;
    await sleep(1500);
    expect(acked.size).toBeGreaterThan(before + 5);
    stop = true;
    await sending;
    await sleep(500);
    console.info(`cluster: first ack of a frame sent after the master died: ${recoveredMs} ms; ${acked.size} frames acknowledged, ${before} before`);
    expect(recoveredMs).toBeLessThan(10_000);
    // A fresh joiner reads the backlog: every acknowledged frame is there, once.
    const reader = await join(relays[1]!.url, keys, ghosts[1]!);
    await sleep(1000);
    const seen = reader.s.received.flatMap((m) => (m.type === 'frame' ? [m.seq] : []));
    const ackedSeqs = [...acked.values()];
    for (const seq of ackedSeqs) expect(seen).toContain(seq);
    expect(new Set(seen).size).toBe(seen.length);
    reader.s.close();
    sender.s.close();
    await cluster!.waitOk();
  }, 90_000);

  it('lets two direct peers on different instances meet: keys and sealed SDP through two relays, strangers paired across instances, a leave seen', async () => {
    const room = await directRoomId(newDirectSecret());
    const a = await SignalSocket.open(relays[0]!.url);
    a.send({ v: PROTOCOL_VERSION, type: 'join', room });
    expect(await a.next('joined')).toMatchObject({ room, peer: false });
    const b = await SignalSocket.open(relays[1]!.url);
    b.send({ v: PROTOCOL_VERSION, type: 'join', room });
    expect(await b.next('joined')).toMatchObject({ room, peer: true });
    await a.next('peer', (p) => p.event === 'join');
    const key = toBase64url((await generateEphemeral()).pub);
    b.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key, extra: 'dropped' });
    expect(await a.next('key')).toEqual({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key });
    const sdp = toBase64url(crypto.getRandomValues(new Uint8Array(DIRECT_FRAME_BYTES)));
    a.send({ v: PROTOCOL_VERSION, type: 'rtc', data: sdp });
    expect((await b.next('rtc')).data).toBe(sdp);
    // A third peer, on the third instance, is refused.
    const c = await SignalSocket.open(relays[2]!.url);
    c.send({ v: PROTOCOL_VERSION, type: 'join', room });
    expect(await c.next('error')).toMatchObject({ code: 'room_full' });
    // The room lives SIGNAL_TTL_SECONDS at most (default), and is forgotten once both left.
    const cc = await import('ioredis').then(({ Cluster }) => new Cluster(cluster!.nodes.split(',').map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) }))));
    const layout = new KeyLayout(prefix);
    const ttl = await cc.pttl(layout.directRoom(room));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);
    b.close();
    await a.next('peer', (p) => p.event === 'leave');
    a.close();
    await expect.poll(() => cc.exists(layout.directRoom(room)), { timeout: 5000 }).toBe(0);

    // Strangers: one waits on relay 2, the next arrives on relay 0; both are paired and can talk.
    const s1 = await SignalSocket.open(relays[2]!.url);
    s1.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    await s1.next('waiting');
    const s2 = await SignalSocket.open(relays[0]!.url);
    s2.send({ v: PROTOCOL_VERSION, type: 'stranger' });
    const j2 = await s2.next('joined');
    const j1 = await s1.next('joined');
    expect(j1).toMatchObject({ room: j2.room, peer: true });
    s1.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub: key });
    expect((await s2.next('key')).pub).toBe(key);
    expect(await cc.exists(layout.strangerQueue)).toBe(0);
    cc.disconnect();
    for (const s of [c, s1, s2]) s.close();
  }, 60_000);

  it('never held a key without a TTL, or with one above 24 h, on any node', async () => {
    const r = await watch!.done();
    expect(r.samples).toBeGreaterThan(10);
    expect(r.keys).toBeGreaterThan(10);
    expect(r.bad).toEqual([]);
  });
});
