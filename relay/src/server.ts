import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { WebSocketServer } from 'ws';
import { CloseCode } from '../../protocol/src/codes.js';
import { createApp } from './app.js';
import { LocalBus, type Bus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { upgradeHeaderLines } from './headers.js';
import { createLogger, type Logger } from './log.js';
import { newMetrics } from './metrics.js';
import { Lifecycle } from './routes/health.js';
import { PowIssuer } from './pow/issuer.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/store.js';
import { JoinTokens } from './tokens.js';

/** The close reason sent with CloseCode.GoingAway when the relay drains: clients reconnect, maybe elsewhere. */
export const DRAIN_CLOSE_REASON = 'reconnect elsewhere';
/** After the last socket closed, time for its leave bookkeeping (store writes) to finish before the store closes. */
const SETTLE_MS = 100;
const POLL_MS = 20;

export interface RunningRelay {
  port: number;
  /** Where this relay answers, for people: https when built-in TLS is on. */
  url: string;
  deps: Deps;
  wss: WebSocketServer;
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
  const { app, injectWebSocket, wss } = createApp(deps, lifecycle);
  const headerOpts = { tls: !!config.tls, trustProxy: config.trustProxy };
  // The 101 is written by `ws`, not Hono: give it the same headers as every other response.
  wss.on('headers', (lines, req) => {
    const proto = req.headers['x-forwarded-proto'];
    lines.push(...upgradeHeaderLines(headerOpts, Array.isArray(proto) ? proto[0] : proto));
  });
  // Socket lifecycle at debug level: counts and close codes only.
  wss.on('connection', (ws) => {
    log.debug('ws open', { open: wss.clients.size });
    ws.once('close', (code) => log.debug('ws closed', { code, open: wss.clients.size }));
  });
  const tls = config.tls
    ? { createServer: createHttpsServer, serverOptions: { cert: config.tls.cert, key: config.tls.key } }
    : {};
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, ...tls }, () => resolve(s));
    s.once('error', reject);
  });
  injectWebSocket(server);
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      lifecycle.draining = true;
      const started = Date.now();
      const open = wss.clients.size;
      const stopped = new Promise<void>((r) => server.close(() => r()));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
      for (const ws of wss.clients) ws.close(CloseCode.GoingAway, DRAIN_CLOSE_REASON);
      const clean = await waitUntil(() => wss.clients.size === 0, config.shutdownTimeoutMs);
      const cut = wss.clients.size;
      for (const ws of wss.clients) ws.terminate();
      await sleep(SETTLE_MS);
      if ('closeAllConnections' in server) server.closeAllConnections();
      await Promise.race([stopped, sleep(config.shutdownTimeoutMs)]);
      await bus.close();
      await store.close();
      log.info('drained', { sockets: open, cut, clean, ms: Date.now() - started });
    })());

  return { port, url: `${config.tls ? 'https' : 'http'}://${host}:${port}`, deps, wss, lifecycle, close };
}
