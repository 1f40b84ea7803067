import type { WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { SLOW_CONSUMER_BYTES as DEFAULT_SLOW_CONSUMER_BYTES } from '../../../protocol/src/limits.js';
import type { Deps } from '../deps.js';
import { Connection } from './connection.js';
import type { RoomHub } from './hub.js';
import type { SocketRegistry } from './registry.js';
import { messageCost, TokenBucket } from './token-bucket.js';

/** The default slow-consumer cap (config WS_SLOW_CONSUMER_BYTES may change it). */
export const SLOW_CONSUMER_BYTES = DEFAULT_SLOW_CONSUMER_BYTES;

/** Builds the WebSocket event handlers for one /ws connection. */
export function roomSocket(deps: Deps, hub: RoomHub, registry: SocketRegistry, originAllowed: boolean): WSEvents<WebSocket> {
  let conn: Connection | undefined;
  const bucket = new TokenBucket(deps.config.ws.ratePerSecond, deps.config.ws.rateBurst);
  // Frames are handled one at a time per socket, in order, even though joins await the store.
  let queue: Promise<void> = Promise.resolve();
  return {
    onOpen(_evt, ws) {
      const raw = ws.raw as WebSocket;
      const c = new Connection(raw, deps, hub, registry);
      conn = c;
      deps.metrics.connectionsOpen++;
      deps.metrics.connectionsTotal++;
      registry.add(c);
      raw.on('pong', () => {
        c.alive = true;
      });
      if (!originAllowed) {
        c.fail(ErrorCode.ForbiddenOrigin, 'This page is not allowed to connect to this relay.', CloseCode.ForbiddenOrigin);
      }
    },
    onMessage(evt) {
      const c = conn;
      if (!c || c.closed) return;
      const data = typeof evt.data === 'string' ? evt.data : null;
      // Charged on arrival, before queueing, so a flood cannot grow the queue.
      const size = data === null ? (evt.data as ArrayBuffer).byteLength : data.length;
      if (!bucket.take(messageCost(size))) {
        return c.fail(ErrorCode.RateLimited, 'You are sending too fast. Wait a moment, then reconnect.', CloseCode.RateLimited);
      }
      queue = queue.then(async () => {
        if (c.closed) return;
        if (data === null) return c.fail(ErrorCode.BadRequest, 'This protocol uses text frames only.', CloseCode.ProtocolError);
        try {
          await c.handle(data);
        } catch (err) {
          deps.log.error('ws handler failed', { err: (err as Error).name });
          c.fail(ErrorCode.Unavailable, 'The relay could not complete that; try again in a moment.', CloseCode.Unavailable);
        }
      });
    },
    onClose() {
      const c = conn;
      if (!c) return;
      deps.metrics.connectionsOpen--;
      registry.remove(c);
      queue = queue.then(() => c.leaveAll()).catch(() => undefined);
    },
  };
}
