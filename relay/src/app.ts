import { Hono } from 'hono';
import { ErrorCode } from '../../protocol/src/codes.js';
import { SIGNAL_MAX_WAITING } from '../../protocol/src/limits.js';
import type { HttpError } from '../../protocol/src/messages/error.js';
import type { Deps } from './deps.js';
import { RelayError } from './errors.js';
import { securityHeaders } from './headers.js';
import { requestLog } from './request-log.js';
import { healthRoutes, Lifecycle } from './routes/health.js';
import { methodGuard } from './routes/methods.js';
import { boundedBody } from './routes/parse.js';
import { roomRoutes } from './routes/rooms.js';
import { wipeRoutes } from './routes/wipe.js';
import { ghostRoutes } from './routes/ghosts.js';
import { powRoutes } from './routes/pow.js';
import { statsRoutes } from './routes/stats.js';
import { mountStatic, shellScriptHashes } from './static.js';
import { DirectHub } from './signal/direct-hub.js';
import { SignalHub, type SignalRooms } from './signal/hub.js';
import { iceRoutes } from './signal/ice.js';
import { signalRoute } from './signal/socket.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';
import { RoomHub } from './ws/hub.js';
import type { SocketRoute } from './ws/managed-socket.js';
import { roomRoute } from './ws/room-socket.js';
import { originAllowed, SocketLayer } from './ws/socket-layer.js';

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

/**
 * Builds the relay: HTTP API, static PWA, and the socket layer behind /ws and
 * /signal, whose `upgrade` the Node server's upgrade event must call.
 */
export function createApp(deps: Deps, lifecycle: Lifecycle = new Lifecycle()) {
  const app = new Hono();
  const hub = new RoomHub(deps.bus, deps.now, deps.log);
  // Members a crashed instance held, removed by the store's healing: everyone on every instance hears them leave.
  deps.store.onMembersLost?.((roomId, memberIds) => {
    for (const member of memberIds) {
      const leave: ServerMessage = { v: PROTOCOL_VERSION, type: 'presence', room: roomId, member, event: 'leave' };
      hub.broadcast(roomId, Buffer.from(JSON.stringify(leave)));
    }
  });
  const ttlMs = deps.config.signalTtlSeconds * 1000;
  // Several instances on Redis: direct rooms and strangers live in the store, so peers on different instances meet.
  const signalHub: SignalRooms =
    deps.store.direct && deps.bus.direct
      ? new DirectHub(deps.store.direct, deps.bus.direct, { ttlMs, now: deps.now, maxWaiting: SIGNAL_MAX_WAITING, log: deps.log })
      : new SignalHub({ ttlMs, now: deps.now, maxWaiting: SIGNAL_MAX_WAITING });
  const routes = new Map<string, SocketRoute<{ type: string }>>([
    ['/ws', roomRoute(deps, hub)],
    ['/signal', signalRoute(signalHub, deps.metrics)],
  ]);
  const sockets = new SocketLayer(deps, lifecycle, routes);

  app.use('*', requestLog(deps.log));
  app.use('*', securityHeaders({ tls: !!deps.config.tls, trustProxy: deps.config.trustProxy, htmlScriptHashes: shellScriptHashes(deps.config.staticDir) }));

  // A request that reached Node's header cap may be missing headers: refuse it rather than act on part of it.
  app.use('*', async (c, next) => {
    if (headerLines(c.env) >= NODE_MAX_HEADER_LINES) {
      return c.json({ error: ErrorCode.TooLarge, message: 'Too many request headers.' } satisfies HttpError, 431);
    }
    await next();
  });

  app.use('*', methodGuard(() => app.routes));
  app.use('*', boundedBody());

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

  // Upgrades never reach Hono (SocketLayer.upgrade takes them on the Node server); a plain request
  // gets the refusal an upgrade would get now, else 426.
  for (const path of routes.keys()) {
    app.get(path, (c) => {
      const refused = sockets.refusal(headerLines(c.env));
      if (refused) return c.json(refused.body, refused.status);
      return c.json({ error: ErrorCode.BadRequest, message: 'This endpoint needs a WebSocket upgrade.' } satisfies HttpError, 426);
    });
  }

  mountStatic(app, deps.config.staticDir, (count) =>
    deps.log.warn('static: compressed copies do not match their files (changed after the build?); serving every file uncompressed. Run npm run build.', { count }),
  );

  return { app, hub, lifecycle, registry: sockets.registry, signalHub, sockets };
}
