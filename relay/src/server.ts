import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { CloseCode } from '../../protocol/src/codes.js';
import { createApp } from './app.js';
import { LocalBus, type Bus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { createLogger, type Logger } from './log.js';
import { newMetrics } from './metrics.js';
import { Lifecycle } from './routes/health.js';
import { PowIssuer } from './pow/issuer.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/store.js';
import { JoinTokens } from './tokens.js';
import type { SocketLayer } from './ws/socket-layer.js';

/** The close reason sent with CloseCode.GoingAway when the relay drains: clients reconnect, maybe elsewhere. */
export const DRAIN_CLOSE_REASON = 'reconnect elsewhere';
/** After the last socket closed, time for its leave bookkeeping (store writes) to finish before the store closes. */
const SETTLE_MS = 100;
const POLL_MS = 20;
/** Bounds of how often Node sweeps for connections past headersTimeout/requestTimeout. */
const MIN_CHECK_MS = 100;
const MAX_CHECK_MS = 1000;

export interface RunningRelay {
  port: number;
  /** Where this relay answers, for people: https when built-in TLS is on. */
  url: string;
  deps: Deps;
  /** Every open socket of /ws and /signal. */
  sockets: SocketLayer;
  lifecycle: Lifecycle;
  /**
   * The one drain entry point (SIGTERM, tests): /ready turns 503, new
   * connections are refused, every socket gets GoingAway (1001), stragglers
   * are cut after config.shutdownTimeoutMs, then the store closes.
   */
  close(): Promise<void>;
}

/** Builds the store the config asks for, on the relay's one clock. */
export async function createStore(config: Config, log: Logger, clock: () => number = Date.now): Promise<Store> {
  if (config.redis) {
    const { RedisStore } = await import('./store/redis.js');
    return RedisStore.connect(config.redis, config.redisPrefix, log, clock);
  }
  return new MemoryStore(clock);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `done()` holds or `ms` passed; returns whether it held. */
async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= end) return false;
    await sleep(POLL_MS);
  }
  return true;
}

/** Builds the bus that matches the store: Redis pub/sub (sharded on a Cluster) beside a Redis store, else none needed. */
export async function createBus(config: Config, store: Store, log: Logger): Promise<Bus> {
  if (config.redis && store.kind === 'redis') {
    const [{ RedisBus }, { RedisStore }] = await Promise.all([import('./bus/redis-bus.js'), import('./store/redis.js')]);
    if (store instanceof RedisStore) return RedisBus.connect(store, config.redis, log);
  }
  return new LocalBus();
}

/** Starts the relay on config.port (0 picks a free one) and resolves once it listens. */
export async function startRelay(config: Config, over: Partial<Deps> = {}): Promise<RunningRelay> {
  const log = over.log ?? createLogger(config.logLevel);
  const now = over.now ?? Date.now;
  const store = over.store ?? (await createStore(config, log, now));
  const bus = over.bus ?? (await createBus(config, store, log));
  const deps: Deps = {
    config,
    store,
    log,
    bus,
    tokens: over.tokens ?? new JoinTokens(config.joinTokenSecret),
    pow: over.pow ?? new PowIssuer(config.joinTokenSecret, store, config.pow),
    metrics: over.metrics ?? newMetrics(),
    now,
  };
  const lifecycle = new Lifecycle();
  const { app, sockets } = createApp(deps, lifecycle);
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  // Node's defaults hold a half-open connection for a minute or more; these are set on purpose (config.ts).
  const timeouts = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Node checks the two request timeouts only this often (30 s by default), so a slowloris would outlive headersTimeout.
    connectionsCheckingInterval: Math.max(MIN_CHECK_MS, Math.min(MAX_CHECK_MS, Math.floor(headersTimeoutMs / 4))),
  };
  const serverOptions = config.tls ? { ...timeouts, cert: config.tls.cert, key: config.tls.key } : timeouts;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions, ...(config.tls ? { createServer: createHttpsServer } : {}) },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => sockets.upgrade(req, socket, head));
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      const started = Date.now();
      const open = sockets.registry.size;
      const stopped = new Promise<void>((r) => server.close(() => r()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      sockets.closeAll(CloseCode.GoingAway, DRAIN_CLOSE_REASON);
      const clean = await waitUntil(() => sockets.registry.size === 0, config.shutdownTimeoutMs);
      const cut = sockets.registry.size;
      sockets.terminateAll();
      await sleep(SETTLE_MS);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await Promise.race([stopped, sleep(config.shutdownTimeoutMs)]);
      await bus.close();
      await store.close();
      log.info('drained', { sockets: open, cut, clean, ms: Date.now() - started });
    })());

  return { port, url: `${config.tls ? 'https' : 'http'}://${host}:${port}`, deps, sockets, lifecycle, close };
}
