import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { WebSocketServer } from 'ws';
import { CloseCode } from '../../protocol/src/codes.js';
import { createApp } from './app.js';
import { LocalBus, type Bus } from './bus/bus.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { createLogger, type Logger } from './log.js';
import { newMetrics } from './metrics.js';
import { PowIssuer } from './pow/issuer.js';
import { MemoryStore } from './store/memory.js';
import type { Store } from './store/store.js';
import { JoinTokens } from './tokens.js';

export interface RunningRelay {
  port: number;
  url: string;
  deps: Deps;
  wss: WebSocketServer;
  /** Stops accepting, closes every socket with GoingAway, then closes the store. */
  close(): Promise<void>;
}

/** Builds the store the config asks for. */
export async function createStore(config: Config, log: Logger): Promise<Store> {
  if (config.redisUrl) {
    const { RedisStore } = await import('./store/redis.js');
    return RedisStore.connect(config.redisUrl, config.redisPrefix, log);
  }
  return new MemoryStore();
}

/** Builds the bus that matches the store: Redis pub/sub beside a Redis store, else none needed. */
export async function createBus(config: Config, store: Store, log: Logger): Promise<Bus> {
  if (config.redisUrl && store.kind === 'redis') {
    const [{ RedisBus }, { RedisStore }] = await Promise.all([import('./bus/redis-bus.js'), import('./store/redis.js')]);
    if (store instanceof RedisStore) return RedisBus.connect(store.redis, config.redisUrl, config.redisPrefix, log);
  }
  return new LocalBus();
}

/** Starts the relay on config.port (0 picks a free one) and resolves once it listens. */
export async function startRelay(config: Config, over: Partial<Deps> = {}): Promise<RunningRelay> {
  const log = over.log ?? createLogger(config.logLevel);
  const store = over.store ?? (await createStore(config, log));
  const bus = over.bus ?? (await createBus(config, store, log));
  const deps: Deps = {
    config,
    store,
    log,
    bus,
    tokens: over.tokens ?? new JoinTokens(config.joinTokenSecret),
    pow: over.pow ?? new PowIssuer(config.joinTokenSecret, store, config.pow),
    metrics: over.metrics ?? newMetrics(),
    now: over.now ?? Date.now,
  };
  const { app, injectWebSocket, wss } = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  injectWebSocket(server);
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      server.close();
      for (const ws of wss.clients) ws.close(CloseCode.GoingAway, 'relay_draining');
      await new Promise((r) => setTimeout(r, 50));
      for (const ws of wss.clients) ws.terminate();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await bus.close();
      await store.close();
    })());

  return { port, url: `http://${host}:${port}`, deps, wss, close };
}
