import { CLIENT_MESSAGE_TYPES, clientMessageSchema, type ClientMessage } from '../../../protocol/src/client-message.js';
import type { Deps } from '../deps.js';
import { Connection } from './connection.js';
import { fastFrame } from './fast-frame.js';
import type { RoomHub } from './hub.js';
import type { SocketRoute } from './managed-socket.js';
import { MAX_WS_MESSAGE_BYTES } from '../../../protocol/src/limits.js';
import { messageCost } from './token-bucket.js';

/** The /ws route: rooms and frames, on the shared socket layer. Its limits come from config (WS_*). */
export function roomRoute(deps: Deps, hub: RoomHub): SocketRoute<ClientMessage> {
  const { ratePerSecond, rateBurst, slowConsumerBytes } = deps.config.ws;
  return {
    name: 'ws',
    schema: clientMessageSchema,
    types: CLIENT_MESSAGE_TYPES,
    limits: { ratePerSecond, rateBurst, slowConsumerBytes, cost: messageCost, maxMessageBytes: MAX_WS_MESSAGE_BYTES },
    fastParse: fastFrame,
    open: (sock) => new Connection(sock, deps, hub),
  };
}
