import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import { ErrorCode } from '../../protocol/src/codes.js';
import { MAX_HANDSHAKE_HEADERS, MAX_WS_MESSAGE_BYTES } from '../../protocol/src/limits.js';
import type { HttpError } from '../../protocol/src/messages/error.js';
import type { Deps } from './deps.js';
import { RelayError } from './errors.js';
import { securityHeaders } from './headers.js';
import { requestLog } from './request-log.js';
import { healthRoutes, Lifecycle } from './routes/health.js';
import { roomRoutes } from './routes/rooms.js';
import { wipeRoutes } from './routes/wipe.js';
import { ghostRoutes } from './routes/ghosts.js';
import { powRoutes } from './routes/pow.js';
import { statsRoutes } from './routes/stats.js';
import { mountStatic, shellScriptHashes } from './static.js';
import { SignalHub } from './signal/hub.js';
import { iceRoutes } from './signal/ice.js';
import { signalSocket } from './signal/socket.js';
import { RoomHub } from './ws/hub.js';
import { SocketRegistry } from './ws/registry.js';
import { roomSocket } from './ws/room-socket.js';

/**
 * Node's http.Server maxHeadersCount (2000) counts names and values, so a request keeps at most 1,000
 * headers; the rest are dropped unseen (measured on Node 20: 2,001 headers arrive as 1,000).
 */
const NODE_MAX_HEADER_LINES = 2000 / 2;

/** Header lines of the Node request behind a Hono context (0 outside Node, e.g. app.request in tests). */
function headerLines(env: unknown): number {
  const raw = (env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming?.rawHeaders;
  return raw ? raw.length / 2 : 0;
}

/** Whether a browser Origin may open /ws: an allow-listed origin, or the relay's own host. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  // Non-browser clients send no Origin; they could forge one anyway, so the check only guards browsers.
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Builds the relay: HTTP API, /ws, static PWA. `injectWebSocket` must be called on the Node server. */
export function createApp(deps: Deps, lifecycle: Lifecycle = new Lifecycle()) {
  const app = new Hono();
  const nodeWs = createNodeWebSocket({ app });
  // ws defaults to 100 MiB messages; the protocol never needs more than MAX_WS_MESSAGE_BYTES.
  nodeWs.wss.options.maxPayload = MAX_WS_MESSAGE_BYTES;
  nodeWs.wss.options.perMessageDeflate = false;
  const hub = new RoomHub(deps.bus);
  const registry = new SocketRegistry(deps.config.ws);
  const signalHub = new SignalHub({ ttlMs: deps.config.signalTtlSeconds * 1000, now: deps.now });

  app.use('*', requestLog(deps.log));
  app.use('*', securityHeaders({ tls: !!deps.config.tls, trustProxy: deps.config.trustProxy, htmlScriptHashes: shellScriptHashes(deps.config.staticDir) }));

  // A request that reached Node's header cap may be missing headers: refuse it rather than act on part of it.
  app.use('*', async (c, next) => {
    if (headerLines(c.env) >= NODE_MAX_HEADER_LINES) {
      return c.json({ error: ErrorCode.TooLarge, message: 'Too many request headers.' } satisfies HttpError, 431);
    }
    await next();
  });

  app.onError((err, c) => {
    if (err instanceof RelayError) {
      if (err.status >= 500) deps.metrics.httpErrors++;
      const body: HttpError = { error: err.code, message: err.message };
      return c.json(body, err.status);
    }
    deps.metrics.httpErrors++;
    deps.log.error('unhandled error', { err: err.name });
    const body: HttpError = { error: ErrorCode.Internal, message: 'The relay hit an unexpected error. Try again.' };
    return c.json(body, 500);
  });

  app.route('/', healthRoutes(deps, lifecycle, () => hub.roomCount));

  app.route('/api/pow', powRoutes(deps));
  app.route('/api/ghosts', ghostRoutes(deps, hub));
  app.route('/api/rooms', roomRoutes(deps));
  app.route('/api/wipe', wipeRoutes((origin, host) => originAllowed(origin, host, deps.config.allowedOrigins)));
  app.route('/api/ice', iceRoutes(deps));
  app.route('/api/stats', statsRoutes(deps));
  app.all('/api/*', () => {
    throw new RelayError(404, ErrorCode.BadRequest, 'No such API endpoint.');
  });

  // A draining instance takes no new sockets: the client's backoff finds another replica.
  app.use('/ws', async (c, next) => {
    if (!lifecycle.draining) return next();
    const body: HttpError = { error: ErrorCode.Unavailable, message: 'This relay instance is shutting down; reconnect in a moment.' };
    return c.json(body, 503);
  });

  app.get(
    '/ws',
    async (c, next) => {
      // An honest upgrade carries about 15 header lines; far more is an attack or a broken client.
      if (headerLines(c.env) > MAX_HANDSHAKE_HEADERS) {
        return c.json({ error: ErrorCode.TooLarge, message: 'Too many request headers.' } satisfies HttpError, 431);
      }
      await next();
    },
    nodeWs.upgradeWebSocket((c) =>
      roomSocket(deps, hub, registry, originAllowed(c.req.header('origin'), c.req.header('host'), deps.config.allowedOrigins)),
    ),
    (c) => c.json({ error: ErrorCode.BadRequest, message: 'This endpoint needs a WebSocket upgrade.' } satisfies HttpError, 426),
  );

  app.get(
    '/signal',
    nodeWs.upgradeWebSocket((c) =>
      signalSocket(deps, signalHub, originAllowed(c.req.header('origin'), c.req.header('host'), deps.config.allowedOrigins)),
    ),
    (c) => c.json({ error: ErrorCode.BadRequest, message: 'This endpoint needs a WebSocket upgrade.' } satisfies HttpError, 426),
  );

  mountStatic(app, deps.config.staticDir);

  return { app, hub, lifecycle, registry, signalHub, injectWebSocket: nodeWs.injectWebSocket, wss: nodeWs.wss };
}
