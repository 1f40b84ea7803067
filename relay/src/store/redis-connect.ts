import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { RedisClient } from './redis-commands.js';

/** Where the relay's Redis is: one server (REDIS_URL) or a Cluster's seed nodes (REDIS_CLUSTER_NODES). */
export interface RedisTarget {
  url?: string;
  clusterNodes?: { host: string; port: number }[];
  /** REDIS_PASSWORD: for the cluster nodes, and for REDIS_URL when its URL carries none. */
  password?: string;
  username?: string;
}

/** Settings every connection shares: an outage fails fast (no offline queue, a command timeout) and reconnects on its own. */
const COMMAND_TIMEOUT_MS = 2000;
const retry = (times: number) => Math.min(times * 200, 2000);

/** The scripts that number a room's messages (redis-commands.ts names them gw_<script>): one write path, so their order holds. */
const FRAME_COMMANDS = ['gw_SEND_FRAMES', 'gw_COMMIT'];

const corked = new Set<Redis>();
/** Only a single server's connected socket is corked; a Cluster batches through its own auto-pipeline per node. */
const corkable = (client: RedisClient): client is Redis => client instanceof Redis && client.status === 'ready';
function uncorkAll(): void {
  for (const r of corked) r.stream.uncork();
  corked.clear();
}

/**
 * Holds a single server's socket corked until the check phase of this turn of
 * the event loop, so every frame command issued while the relay works through
 * this turn's reads leaves in one writev (the same coalescing as the relay's
 * WebSocket writes, raw-socket.ts). A Cluster batches through its own
 * auto-pipeline per node.
 */
export function corkForTurn(client: RedisClient): void {
  if (!corkable(client) || corked.has(client)) return;
  if (corked.size === 0) setImmediate(uncorkAll);
  client.stream.cork();
  corked.add(client);
}

/** Runs `send` with a single server's socket corked, so every command it issues leaves in one write now. */
export function inOneWrite(client: RedisClient, send: () => void): void {
  const single = corkable(client) ? client : undefined;
  single?.stream.cork();
  try {
    send();
  } finally {
    single?.stream.uncork();
  }
}

/** A single-server client (lazy: call connect()). */
export function createRedis(url: string, log?: Logger, auth: Pick<RedisTarget, 'password' | 'username'> = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: retry,
    // Commands issued in the same tick go out in one write: frames of many sockets share syscalls.
    enableAutoPipelining: true,
    // Frames and commits skip ioredis's per-batch Pipeline (it copies every script onto each one); corkForTurn batches their writes instead.
    autoPipeliningIgnoredCommands: FRAME_COMMANDS,
    ...(auth.password && !/\/\/[^@/]*:[^@/]*@/.test(url) ? { password: auth.password, ...(auth.username ? { username: auth.username } : {}) } : {}),
  });
  redis.on('error', (err: Error) => log?.warn('redis error', { err: err.name }));
  return redis;
}

/**
 * A Cluster client (lazy: call connect()). `sharded`: also keeps one
 * subscriber connection per master for SSUBSCRIBE (the bus); connection
 * counts then grow with masters, not with channels.
 */
export function createCluster(t: RedisTarget, log?: Logger, sharded = false): Cluster {
  const cluster = new Cluster(t.clusterNodes ?? [], {
    enableOfflineQueue: false,
    lazyConnect: true,
    shardedSubscribers: sharded,
    clusterRetryStrategy: retry,
    // Nodes that restart without a slot change (a replica) come back on their own.
    clusterNodeRetryStrategy: retry,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    slotsRefreshTimeout: COMMAND_TIMEOUT_MS,
    // Not on a Cluster: ioredis's auto-pipeline there rejects batches whose keys span slots of one node.
    redisOptions: {
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
      ...(t.password ? { password: t.password } : {}),
      ...(t.username ? { username: t.username } : {}),
    },
  });
  cluster.on('error', (err: Error) => log?.warn('redis error', { err: err.name }));
  return cluster;
}

/** Opens the client the target asks for and resolves once it is ready. */
export async function connectRedis(t: RedisTarget, log?: Logger, sharded = false): Promise<RedisClient> {
  if (t.clusterNodes?.length) {
    const c = createCluster(t, log, sharded);
    await c.connect();
    return c;
  }
  if (!t.url) throw new Error('no Redis configured');
  const r = createRedis(t.url, log, t);
  await r.connect();
  return r;
}
