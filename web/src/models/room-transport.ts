import type { ClientMessage } from '../../../protocol/src/client-message.js';
import { RelayClient, type RelayClientDeps, type WebSocketCtor } from '../net/relay-client.js';

/** What a room needs from its relay connection (RelayClient, or a test's fake). */
export interface RoomTransport {
  connect(): void;
  /** Hands a message to the socket; false when it is not open. */
  send(msg: ClientMessage): boolean;
  /** Reconnects now if it is waiting out a backoff. */
  nudge(): void;
  close(): void;
}

/** What a transport is built from: the room's join-token source, replay point and event sinks. */
export type RoomTransportDeps = Omit<RelayClientDeps, 'url' | 'WebSocket'>;

export type RoomTransportFactory = (deps: RoomTransportDeps) => RoomTransport;

/** The real transport: a RelayClient on the relay's /ws. */
export function relayTransport(origin: string, WebSocket: WebSocketCtor): RoomTransportFactory {
  const url = origin.replace(/^http/, 'ws') + '/ws';
  return (deps) => new RelayClient({ ...deps, url, WebSocket });
}
