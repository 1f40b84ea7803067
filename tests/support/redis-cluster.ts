import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { missing } from './need.js';
import { freePort } from './ports.js';

/** One redis-server of the test cluster. */
export interface ClusterNode {
  port: number;
  /** The redis-server's pid (benchmarks count its CPU). */
  readonly pid: number | undefined;
  /** Stops it hard (a crashed master); its replica takes over after cluster-node-timeout. */
  kill(): Promise<void>;
  readonly alive: boolean;
}

export interface RedisClusterFixture {
  /** Seed nodes, `127.0.0.1:port,…`, as REDIS_CLUSTER_NODES takes them. */
  nodes: string;
  /** A key prefix no other test run uses. */
  prefix: string;
  all: ClusterNode[];
  /** The nodes that are masters right now (asks the cluster). */
  masters(): Promise<ClusterNode[]>;
  /** Resolves once every slot is served again (cluster_state:ok on every live node). */
  waitOk(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/** How long a master may be silent before its replica is promoted; short, so failover tests take seconds. */
export const CLUSTER_NODE_TIMEOUT_MS = 2000;
const NODES = 6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  return r.stdout ?? '';
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`redis cluster: ${what} within ${ms} ms`);
    await sleep(100);
  }
}

/**
 * A real Redis Cluster for a test file: six private `redis-server
 * --cluster-enabled yes` processes on free ports (three masters, three
 * replicas, made by `redis-cli --cluster create --cluster-replicas 1`), each
 * in its own temporary directory with persistence off. Null when redis-server
 * or redis-cli is missing (a loud skip, or a failure under CI=true).
 */
export async function redisClusterFixture(): Promise<RedisClusterFixture | null> {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  if (spawnSync(bin, ['--version']).status !== 0 || spawnSync('redis-cli', ['--version']).status !== 0) {
    missing('redis-server and redis-cli (for a Redis Cluster)', 'Install them (apt-get install -y redis-server).');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gw-cluster-'));
  const ports: number[] = [];
  // freePort closes its socket before returning: ask for all of them before starting any server.
  while (ports.length < NODES) {
    const p = await freePort();
    // The cluster bus listens on port + 10000; both must be free and below 65536.
    if (p < 55_000 && !ports.includes(p) && !ports.includes(p + 10_000)) ports.push(p);
  }
  const procs = new Map<number, ChildProcess>();
  const start = (port: number) => {
    const p = spawn(
      bin,
      [
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS),
        '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning',
      ],
      { stdio: 'ignore' },
    );
    procs.set(port, p);
  };
  for (const port of ports) start(port);
  const stopAll = async () => {
    await Promise.all([...procs.values()].map((p) => (p.exitCode === null && p.signalCode === null ? new Promise<void>((res) => { p.once('exit', () => res()); p.kill('SIGKILL'); }) : undefined)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('every node answers PING', () => ports.every((p) => cli(p, 'ping').trim() === 'PONG'), 10_000);
    const made = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 60_000 });
    if (made.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${made.stdout}\n${made.stderr}`);
  } catch (err) {
    await stopAll();
    throw err;
  }
  const all: ClusterNode[] = ports.map((port) => ({
    port,
    get pid() {
      return procs.get(port)?.pid;
    },
    get alive() {
      const p = procs.get(port)!;
      return p.exitCode === null && p.signalCode === null;
    },
    kill: () =>
      new Promise<void>((res) => {
        const p = procs.get(port)!;
        if (p.exitCode !== null || p.signalCode !== null) return res();
        p.once('exit', () => res());
        p.kill('SIGKILL');
      }),
  }));
  const waitOk = (ms = 30_000) =>
    until('cluster_state:ok on every live node', () => all.filter((n) => n.alive).every((n) => cli(n.port, 'cluster', 'info').includes('cluster_state:ok')), ms);
  await waitOk();
  // `cluster create` returns before every replica has synced; a failover test needs them in sync.
  await until('every replica linked to its master', () => ports.every((p) => !cli(p, 'info', 'replication').includes('role:slave') || cli(p, 'info', 'replication').includes('master_link_status:up')), 30_000);
  const masters = async () => {
    const live = all.filter((n) => n.alive);
    const r = new Redis(live[0]!.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await r.connect();
      const text = (await r.call('cluster', 'nodes')) as string;
      const masterPorts = text
        .split('\n')
        .filter((l) => / master /.test(l) || /,master /.test(l) || /myself,master/.test(l))
        .filter((l) => !/fail/.test(l.split(' ')[2] ?? ''))
        .map((l) => Number(/:(\d+)@/.exec(l)?.[1]));
      return all.filter((n) => n.alive && masterPorts.includes(n.port));
    } finally {
      r.disconnect();
    }
  };
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    prefix: `gwtest:${randomBytes(6).toString('hex')}:`,
    all,
    masters,
    waitOk,
    stop: stopAll,
  };
}

/** Every key on every live node of the cluster with its PTTL (ms; -1 none, -2 gone), by SCAN on each node. */
export async function clusterKeyTtls(fx: RedisClusterFixture, prefix = fx.prefix): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const n of fx.all.filter((x) => x.alive)) {
    const r = new Redis(n.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    try {
      await r.connect();
      const info = (await r.info('replication'));
      if (!info.includes('role:master')) continue;
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) out.set(k, await r.pttl(k));
      } while (cursor !== '0');
    } finally {
      r.disconnect();
    }
  }
  return out;
}

/** The node that is master of `key`'s slot right now. */
export async function masterOf(fx: RedisClusterFixture, key: string): Promise<ClusterNode> {
  const live = fx.all.filter((n) => n.alive);
  const slot = Number(cli(live[0]!.port, 'cluster', 'keyslot', key).trim());
  for (const line of cli(live[0]!.port, 'cluster', 'nodes').split('\n')) {
    const f = line.split(' ');
    if (!f[2]?.includes('master') || f[2].includes('fail')) continue;
    for (const range of f.slice(8)) {
      const [a, b = a] = range.split('-').map(Number);
      if (a !== undefined && b !== undefined && slot >= a && slot <= b) {
        const port = Number(/:(\d+)@/.exec(f[1] ?? '')?.[1]);
        const node = fx.all.find((n) => n.port === port);
        if (node) return node;
      }
    }
  }
  throw new Error(`no master serves slot ${slot}`);
}
