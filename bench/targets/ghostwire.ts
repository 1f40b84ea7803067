/**
 * THE Ghostwire adapter: every relay-specific step of the bench (how a relay
 * starts, how a room is created, how a join token is obtained, how a member
 * joins, what a frame looks like, which PoW parameters are the default, and
 * whether two instances fan out through Redis) lives in this one file, so
 * that when the relay's wire changes (ghosts and PoW, rate limits) only this
 * file needs updating.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ROOM_MAX_CAPACITY } from '../../protocol/src/limits.js';
import { GHOST_BUCKETS } from '../../relay/src/ghosts/auth.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';
import { freePort } from '../../tests/support/ports.js';
import { redisClusterFixture } from '../../tests/support/redis-cluster.js';
import { startRelayProcess, type RelayProcess } from '../../tests/support/relay-process.js';
import { createGhost, over, type TestGhost } from '../../tests/support/ghost.js';
import { createRoom, joinToken } from '../../tests/support/ws-client.js';
import { stampedPayload } from '../lib/payload.js';
import { gcAndSettle, GC_PRELOAD, lastMemoryUsage, ROOT, stopChild } from '../lib/spawn.js';
import { openWs, WsBenchClient } from '../lib/ws-client.js';
import type { BenchRoom, BenchTarget, Unavailable } from './types.js';

/**
 * Extra relay environment for load testing: the per-socket rate limit, the
 * per-ghost socket cap and the adaptive proof of work are lifted, so the
 * load generator measures fanout rather than the limiters (which the test
 * suite covers). The relay code is the one users run.
 */
export const RELAY_BENCH_ENV: Record<string, string> = {
  WS_RATE_PER_SECOND: '1000000',
  WS_RATE_BURST: '1000000',
  WS_MAX_SOCKETS_PER_GHOST: '100000',
  POW_DIFFICULTY: '1',
  POW_MAX_DIFFICULTY: '1',
  POW_RATE_PER_MINUTE: '1000000000',
};

/** Members per ghost: well under the per-ghost join-token burst (60), so joins are never throttled. */
const MEMBERS_PER_GHOST = Math.floor((GHOST_BUCKETS.joinTokens.capacity * 2) / 3);
/**
 * Rooms per creating ghost: under the per-ghost room burst (20),
 * so the bench creates rooms as several users would, within the relay's documented limits.
 */
const ROOMS_PER_GHOST = Math.floor((GHOST_BUCKETS.rooms.capacity * 3) / 4);
const ghostPools = new Map<string, { ghost: Promise<TestGhost>; used: number }>();

/** A ghost for the next use of kind `kind` on `base`: a new one every `per` uses. */
function pooledGhost(base: string, kind: 'member' | 'creator', per: number): Promise<TestGhost> {
  const key = `${kind} ${base}`;
  let pool = ghostPools.get(key);
  if (!pool || pool.used >= per) {
    pool = { ghost: createGhost(over(base)), used: 0 };
    ghostPools.set(key, pool);
  }
  pool.used++;
  return pool.ghost;
}

const ghostFor = (base: string) => pooledGhost(base, 'member', MEMBERS_PER_GHOST);

/** The PoW the relay asks for by default (16 bits of work split into 16 sub-puzzles of 12 bits). */
export const GHOSTWIRE_POW_DEFAULT = { difficulty: 16, subPuzzles: 16 } as const;

/** Why rooms past ROOM_MAX_CAPACITY are not measured on Ghostwire. */
const CAPACITY_NOTE = `the relay caps rooms at ROOM_MAX_CAPACITY = ${ROOM_MAX_CAPACITY} members`;

/** The relay loads GC_PRELOAD too, so its RSS is read after a full GC like the bench servers' (relay code untouched). */
const MEMORY_METHOD = 'RSS after a forced full GC (NODE_OPTIONS="--expose-gc --require bench/servers/gc-on-signal.cjs", SIGUSR2) and a settle';

/** Opens /ws on a relay and joins with a fresh join token; resolves once `joined` arrives. */
async function joinMember(base: string, keys: Awaited<ReturnType<typeof createRoom>>): Promise<WsBenchClient> {
  const token = await joinToken(base, keys, await ghostFor(base));
  const ws = await openWs(`${base.replace(/^http/, 'ws')}/ws`);
  let ref = 0;
  const client = new WsBenchClient(ws, (data) => JSON.stringify({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: ref++, data }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no joined message within 10 s')), 10_000);
    const onMessage = (data: Buffer) => {
      const text = data.toString('utf8', 0, Math.min(data.length, 256));
      if (text.includes('"type":"joined"')) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve();
      } else if (text.includes('"type":"error"')) {
        clearTimeout(timer);
        reject(new Error(`join refused: ${data.toString()}`));
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'join', token }));
  });
  return client;
}

/** A room spread over the given relays: member i joins relay i mod n. */
async function newRoom(bases: string[], size: number): Promise<BenchRoom> {
  const keys = await createRoom(bases[0]!, { capacity: Math.max(2, size), ghost: await pooledGhost(bases[0]!, 'creator', ROOMS_PER_GHOST) });
  return { join: (i) => joinMember(bases[i % bases.length]!, keys) };
}

function relayEnv(extra: Record<string, string>): Record<string, string> {
  return { NODE_OPTIONS: `--expose-gc --require ${GC_PRELOAD}`, ...RELAY_BENCH_ENV, ...extra };
}

/** A preload that writes a V8 CPU profile of the relay into $BENCH_CPU_PROF_DIR at exit (bench/profile.ts). */
const CPU_PROF_PRELOAD = `${ROOT}bench/servers/cpu-prof.cjs`;

/** One relay process with the embedded store (`node dist/relay/main.js`); with `cpuProfileDir`, profiled, and with `heapSnapshotDir`, a heap snapshot at each forced GC (bench/profile.ts). */
export async function startGhostwire(cpuProfileDir?: string, heapSnapshotDir?: string): Promise<BenchTarget & { memoryUsage(): NodeJS.MemoryUsage | undefined }> {
  const env = relayEnv({ ...(cpuProfileDir ? { BENCH_CPU_PROF_DIR: cpuProfileDir } : {}), ...(heapSnapshotDir ? { BENCH_HEAP_SNAPSHOT_DIR: heapSnapshotDir } : {}) });
  if (cpuProfileDir) env.NODE_OPTIONS = `${env.NODE_OPTIONS} --require ${CPU_PROF_PRELOAD}`;
  const relay = await startRelayProcess(env);
  return {
    /** process.memoryUsage() of the relay at its last forced GC (printed by GC_PRELOAD). */
    memoryUsage: () => lastMemoryUsage(relay.output),
    key: 'ghostwire',
    label: 'Ghostwire (embedded store)',
    pids: [relay.proc.pid!],
    maxRoomSize: ROOM_MAX_CAPACITY,
    roomSizeNote: CAPACITY_NOTE,
    memoryMethod: MEMORY_METHOD,
    newRoom: (size) => newRoom([relay.url], size),
    gc: () => gcAndSettle([relay.proc.pid!]),
    stop: async () => {
      await relay.stop();
    },
  };
}

interface PrivateRedis {
  url: string;
  proc: ChildProcess;
  /** Clients Redis closed for passing an output-buffer limit (counted from its own log, so any Redis version reports it). */
  outputBufferDisconnections(): number;
}

/** A private redis-server on a free port, persistence off; its pid counts as server CPU. */
async function startRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let disconnections = 0;
  // Redis logs "... scheduled to be closed ASAP for overcoming of output buffer limits." at warning level.
  proc.stdout.on('data', (chunk: Buffer) => (disconnections += chunk.toString().split('overcoming of output buffer limits').length - 1));
  const url = `redis://127.0.0.1:${port}/0`;
  const end = Date.now() + 10_000;
  for (;;) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => undefined);
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return { url, proc, outputBufferDisconnections: () => disconnections };
    } catch {
      r.disconnect();
      if (Date.now() > end) throw new Error('redis-server did not answer within 10 s');
      await new Promise((res) => setTimeout(res, 100));
    }
  }
}

/** Whether a frame sent on one instance reaches a member joined on the other. */
async function fansOutAcross(bases: string[]): Promise<boolean> {
  const room = await newRoom(bases, 2);
  const a = await room.join(0);
  const b = await room.join(1);
  const got = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 2000);
    b.onStamp = () => {
      clearTimeout(timer);
      resolve(true);
    };
  });
  a.sendFrame(stampedPayload());
  const ok = await got;
  a.close();
  b.close();
  return ok;
}

/** Whether Redis pub/sub kept up: output-buffer disconnections (from its log and, on Redis ≥ 7.2, INFO) and publish counts. */
async function redisNotes(redis: PrivateRedis): Promise<Record<string, unknown>> {
  const r = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    const info = await r.info('all');
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    return {
      redisVersion: field('redis_version'),
      outputBufferDisconnectionsLogged: redis.outputBufferDisconnections(),
      clientOutputBufferLimitDisconnections: field('client_output_buffer_limit_disconnections') ?? 'not in INFO before Redis 7.2',
      publishCalls: field('cmdstat_publish') ?? 'none',
      pubsubChannels: field('pubsub_channels'),
    };
  } finally {
    r.disconnect();
  }
}

/**
 * Two relay instances over one private Redis, members split across them
 * (with `cpuProfileDir`, both relays profiled: bench/profile.ts --redis).
 * Returns Unavailable (never invented numbers) when this build does not fan
 * frames out across instances.
 */
export async function startGhostwireRedis(cpuProfileDir?: string): Promise<BenchTarget | Unavailable> {
  const key = 'ghostwire-redis';
  const label = 'Ghostwire, 2 instances over Redis';
  const redis = await startRedis();
  const env = relayEnv({ REDIS_URL: redis.url, REDIS_PREFIX: `gwbench:${randomBytes(4).toString('hex')}:`, JOIN_TOKEN_SECRET: randomBytes(32).toString('base64url'), ...(cpuProfileDir ? { BENCH_CPU_PROF_DIR: cpuProfileDir } : {}) });
  if (cpuProfileDir) env.NODE_OPTIONS = `${env.NODE_OPTIONS} --require ${CPU_PROF_PRELOAD}`;
  const relays: RelayProcess[] = [];
  const stop = async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await stopChild(redis.proc);
  };
  try {
    relays.push(await startRelayProcess(env), await startRelayProcess(env));
    const bases = relays.map((r) => r.url);
    if (!(await fansOutAcross(bases))) {
      await stop();
      return { key, label, unavailable: 'not available on this build: a frame sent on one instance never reached a member joined on the other (cross-instance fanout over Redis pub/sub is not in this relay yet)' };
    }
    return {
      key,
      label,
      pids: [...relays.map((r) => r.proc.pid!), redis.proc.pid!],
      maxRoomSize: ROOM_MAX_CAPACITY,
      roomSizeNote: CAPACITY_NOTE,
      memoryMethod: `${MEMORY_METHOD}; both relays and redis-server summed`,
      newRoom: (size) => newRoom(bases, size),
      // redis-server is not signalled (SIGUSR2 would end it); its RSS is read as it is.
      gc: () => gcAndSettle(relays.map((r) => r.proc.pid!)),
      finalNotes: () => redisNotes(redis),
      stop,
    };
  } catch (err) {
    await stop();
    return { key, label, unavailable: `could not start: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * Three relay instances on a private Redis Cluster (three masters, three
 * replicas: tests/support/redis-cluster.ts), members split across them. Fanout
 * runs on sharded pub/sub; CPU of the relays and all six redis-servers is summed.
 */
export async function startGhostwireCluster(): Promise<BenchTarget | Unavailable> {
  const key = 'ghostwire-cluster';
  const label = 'Ghostwire, 3 instances on Redis Cluster';
  const cluster = await redisClusterFixture().catch(() => null);
  if (!cluster) return { key, label, unavailable: 'redis-server/redis-cli missing, or the cluster did not form' };
  const env = relayEnv({ REDIS_CLUSTER_NODES: cluster.nodes, REDIS_PREFIX: cluster.prefix, JOIN_TOKEN_SECRET: randomBytes(32).toString('base64url') });
  const relays: RelayProcess[] = [];
  const stop = async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await cluster.stop();
  };
  try {
    relays.push(...(await Promise.all([0, 1, 2].map(() => startRelayProcess(env)))));
    const bases = relays.map((r) => r.url);
    if (!(await fansOutAcross(bases))) {
      await stop();
      return { key, label, unavailable: 'a frame sent on one instance never reached a member joined on another' };
    }
    return {
      key,
      label,
      pids: [...relays.map((r) => r.proc.pid!), ...cluster.all.map((n) => n.pid!)],
      maxRoomSize: ROOM_MAX_CAPACITY,
      roomSizeNote: CAPACITY_NOTE,
      memoryMethod: `${MEMORY_METHOD}; three relays and six redis-servers summed`,
      newRoom: (size) => newRoom(bases, size),
      gc: () => gcAndSettle(relays.map((r) => r.proc.pid!)),
      stop,
    };
  } catch (err) {
    await stop();
    return { key, label, unavailable: `could not start: ${(err as Error).message.split('\n')[0]}` };
  }
}
