import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import { ErrorCode } from '../../protocol/src/codes.js';
import { MAX_WS_MESSAGE_BYTES } from '../../protocol/src/limits.js';
import type { HttpError } from '../../protocol/src/messages/error.js';
import type { Deps } from './deps.js';
import { RelayError } from './errors.js';
import { securityHeaders } from './headers.js';
import { ghostRoutes } from './routes/ghosts.js';
import { powRoutes } from './routes/pow.js';
import { roomRoutes } from './routes/rooms.js';
import { statsRoutes } from './routes/stats.js';
import { mountStatic } from './static.js';
import { RoomHub } from './ws/hub.js';
import { roomSocket } from './ws/room-socket.js';

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
export function createApp(deps: Deps) {
  const app = new Hono();
  const nodeWs = createNodeWebSocket({ app });
  // ws defaults to 100 MiB messages; the protocol never needs more than MAX_WS_MESSAGE_BYTES.
  nodeWs.wss.options.maxPayload = MAX_WS_MESSAGE_BYTES;
  nodeWs.wss.options.perMessageDeflate = false;
  const hub = new RoomHub(deps.bus);

  app.use('*', securityHeaders());

  app.onError((err, c) => {
    if (err instanceof RelayError) {
      const body: HttpError = { error: err.code, message: err.message };
      return c.json(body, err.status);
    }
    deps.log.error('unhandled error', { err: err.name });
    const body: HttpError = { error: ErrorCode.Internal, message: 'The relay hit an unexpected error. Try again.' };
    return c.json(body, 500);
  });

  app.get('/health', async (c) => {
    let store = 'ok';
    try {
      await deps.store.ping();
    } catch {
      store = 'unreachable';
    }
    return c.json({ status: store === 'ok' ? 'ok' : 'degraded', store: deps.store.kind, storeStatus: store }, store === 'ok' ? 200 : 503);
  });

  app.route('/api/pow', powRoutes(deps));
  app.route('/api/ghosts', ghostRoutes(deps, hub));
  app.route('/api/rooms', roomRoutes(deps));
  app.route('/api/stats', statsRoutes(deps));
  app.all('/api/*', () => {
    throw new RelayError(404, ErrorCode.BadRequest, 'No such API endpoint.');
  });

  app.get(
    '/ws',
    nodeWs.upgradeWebSocket((c) =>
      roomSocket(deps, hub, originAllowed(c.req.header('origin'), c.req.header('host'), deps.config.allowedOrigins)),
    ),
    (c) => c.json({ error: ErrorCode.BadRequest, message: 'This endpoint needs a WebSocket upgrade.' } satisfies HttpError, 426),
  );

  mountStatic(app, deps.config.staticDir);

  return { app, hub, injectWebSocket: nodeWs.injectWebSocket, wss: nodeWs.wss };
}
