import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { MAX_WS_MESSAGE_BYTES } from '../../../protocol/src/limits.js';

/**
 * The few things the socket layer needs from a WebSocket. This file is the
 * only one that imports `ws`: swapping the library, or faking a socket in a
 * unit test, touches nothing else.
 */
export interface RawSocket {
  /** Bytes handed to the socket and not yet written to the kernel. */
  readonly bufferedAmount: number;
  /** Sends one text message. */
  send(text: string | Buffer): void;
  /** Starts the close handshake with a code and reason. */
  close(code: number, reason: string): void;
  /** Drops the TCP connection without a handshake. */
  terminate(): void;
  ping(): void;
  /** Wires the socket's events; called once, right after the upgrade. */
  listen(events: RawSocketEvents): void;
}

export interface RawSocketEvents {
  /** One whole message: its text, or null for a binary one, and its size in bytes. */
  onMessage(text: string | null, bytes: number): void;
  onPong(): void;
  onClose(code: number): void;
}

const TEXT = { binary: false } as const;
// A peer that resets the connection errors first; `close` follows, and is what the layer acts on.
const ignore = (): void => undefined;

/** A `ws` socket that carries the layer's handlers, so its listeners can be shared functions instead of closures per socket. */
class EventfulWebSocket extends WebSocket {
  events?: RawSocketEvents;
}

/**
 * Write coalescing. Each `ws.send` is one `write()` syscall of its own, and
 * on loopback that syscall is most of a delivery's cost (BENCHMARKS.md, "Where
 * the time goes"). A socket that sends is corked until the check phase of
 * this turn of the event loop, so every frame it gets while the relay works
 * through this turn's reads (other members' frames, its own acks) leaves in
 * few `writev`s. No frame waits past the end of the turn.
 *
 * `bufferedAmount` (what the slow-consumer cap reads) leaves out what was
 * corked since the last flush: the kernel has not been offered those bytes,
 * so they say nothing about the reader. A batch is flushed early once it
 * holds CORK_MAX_BYTES, because Node counts a `writev` as unsent until the
 * kernel has taken all of it: one batch of a turn's hundreds of frames made
 * readers that kept up look 4 MiB behind, and the cap cut them (seen in the
 * bench's saturated rooms of 10). Capped, a batch overstates by at most that.
 */
const CORK_MAX_BYTES = 64 * 1024;
const corked: WsRawSocket[] = [];
let flushScheduled = false;

function flushCorked(): void {
  flushScheduled = false;
  // A socket corked by a send made while flushing waits for the next turn's flush.
  const n = corked.length;
  for (let i = 0; i < n; i++) corked[i]!.uncork();
  corked.splice(0, n);
}

// Shared by every socket: `ws` calls a listener with the socket as `this`.
function onMessage(this: EventfulWebSocket, data: Buffer, isBinary: boolean): void {
  this.events?.onMessage(isBinary ? null : data.toString('utf8'), data.length);
}
function onPong(this: EventfulWebSocket): void {
  this.events?.onPong();
}
function onClose(this: EventfulWebSocket, code: number): void {
  this.events?.onClose(code);
}

/**
 * Adapts one `ws` socket to RawSocket. A class, not an object of closures,
 * and listeners shared by all sockets: an idle socket then holds one small
 * object here (methods live on the prototype).
 */
class WsRawSocket implements RawSocket {
  private isCorked = false;
  /** bufferedAmount when this batch's cork began. */
  private pendingAtCork = 0;
  /** Bytes (UTF-16 units for text: the relay's messages are ASCII JSON) sent into this batch. */
  private batchBytes = 0;

  constructor(private readonly ws: EventfulWebSocket) {}

  /** The TCP socket under `ws` (its documented-internal `_socket`): where corking happens. */
  private get tcp(): Socket | undefined {
    return (this.ws as unknown as { _socket?: Socket })._socket;
  }

  uncork(): void {
    this.isCorked = false;
    this.tcp?.uncork();
  }

  get bufferedAmount(): number {
    return this.isCorked ? this.pendingAtCork : this.ws.bufferedAmount;
  }

  send(text: string | Buffer): void {
    if (!this.isCorked) {
      const tcp = this.tcp;
      if (tcp && !tcp.destroyed) {
        this.pendingAtCork = this.ws.bufferedAmount;
        this.batchBytes = 0;
        tcp.cork();
        this.isCorked = true;
        corked.push(this);
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushCorked);
        }
      }
    }
    this.ws.send(text, TEXT);
    if (this.isCorked && (this.batchBytes += text.length) >= CORK_MAX_BYTES) {
      const tcp = this.tcp;
      tcp?.uncork();
      this.pendingAtCork = this.ws.bufferedAmount;
      this.batchBytes = 0;
      tcp?.cork();
    }
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  ping(): void {
    this.ws.ping();
  }

  listen(events: RawSocketEvents): void {
    this.ws.events = events;
    this.ws.on('message', onMessage);
    this.ws.on('pong', onPong);
    this.ws.on('close', onClose);
    this.ws.on('error', ignore);
  }
}

/** The WebSocket half of the Node server: completes upgrades the relay has already admitted. */
export interface SocketServer {
  /** Writes the 101 (with `headers`) and hands over the socket; ws itself answers 400 to a malformed handshake. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, onSocket: (raw: RawSocket) => void): void;
}

/** Builds the SocketServer; `headers` gives the extra header lines of every 101. */
export function createSocketServer(headers: (req: IncomingMessage) => string[]): SocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    WebSocket: EventfulWebSocket,
    // ws defaults to 100 MiB messages; the protocol never needs more than MAX_WS_MESSAGE_BYTES.
    maxPayload: MAX_WS_MESSAGE_BYTES,
    // Compression of attacker-chosen plaintext next to secrets is a side channel (CRIME); frames are sealed anyway.
    perMessageDeflate: false,
    // The socket layer keeps its own set of sockets; ws need not keep a second one.
    clientTracking: false,
  });
  wss.on('headers', (lines, req) => lines.push(...headers(req)));
  return {
    accept(req, socket, head, onSocket) {
      wss.handleUpgrade(req, socket, head, (ws) => onSocket(new WsRawSocket(ws)));
    },
  };
}
