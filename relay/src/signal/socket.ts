import type { WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import {
  SIGNAL_CLIENT_MESSAGE_TYPES,
  signalClientMessageSchema,
  type SignalClientMessage,
  type SignalRelayed,
  type SignalServerMessage,
} from '../../../protocol/src/signal-message.js';
import type { DirectPath } from '../../../protocol/src/messages/signal-path.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { Deps } from '../deps.js';
import type { SignalHub, SignalPeer } from './hub.js';
import { parseClientText } from '../ws/parse-message.js';
import { TokenBucket } from '../ws/token-bucket.js';

/** A peer whose unsent bytes pass this is dropped: signaling is small, and fallback frames must not pile up. */
export const SIGNAL_SLOW_CONSUMER_BYTES = 1024 * 1024;
/** Messages per second a /signal socket may send on average, and its burst (fallback chat plus cover fits well under). */
export const SIGNAL_RATE_PER_SECOND = 20;
export const SIGNAL_RATE_BURST = 80;

/** One /signal socket. It forwards what it parsed (re-encoded, unknown fields dropped), never the raw bytes. */
class SignalConnection implements SignalPeer {
  closed = false;
  private readonly bucket: TokenBucket;
  private pathReported = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: Deps,
    private readonly hub: SignalHub,
  ) {
    this.bucket = new TokenBucket(SIGNAL_RATE_PER_SECOND, SIGNAL_RATE_BURST, deps.now);
  }

  send(msg: SignalServerMessage): boolean {
    if (this.closed) return false;
    if (this.ws.bufferedAmount > SIGNAL_SLOW_CONSUMER_BYTES) {
      this.fail(ErrorCode.RateLimited, 'You are not reading fast enough; reconnect when your connection is better.', CloseCode.SlowConsumer);
      return false;
    }
    this.ws.send(JSON.stringify(msg), { binary: false });
    return true;
  }

  fail(code: ErrorCode, message: string, closeCode?: CloseCode): void {
    if (this.closed) return;
    this.deps.metrics.protocolErrors++;
    this.ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'error', code, message } satisfies SignalServerMessage));
    if (closeCode !== undefined) this.close(closeCode, code);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.hub.leave(this);
    this.ws.close(code, reason);
  }

  handle(raw: string): void {
    if (!this.bucket.take()) {
      return this.fail(ErrorCode.RateLimited, 'Too many signaling messages; slow down and reconnect.', CloseCode.RateLimited);
    }
    const parsed = parseClientText(raw, signalClientMessageSchema, SIGNAL_CLIENT_MESSAGE_TYPES);
    if (!parsed.ok) return this.fail(parsed.code, parsed.message, parsed.closeCode);
    const msg: SignalClientMessage = parsed.msg;
    switch (msg.type) {
      case 'join':
        return this.enter(this.hub.join(msg.room, this));
      case 'stranger':
        return this.enter(this.hub.stranger(this));
      case 'key':
      case 'confirm':
      case 'rtc':
      case 'data':
        return this.relay(msg);
      case 'leave':
        return this.close(CloseCode.Normal, 'left');
      case 'path':
        return this.countPath(msg.path);
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private enter(result: ReturnType<SignalHub['join']> | ReturnType<SignalHub['stranger']>): void {
    switch (result) {
      case 'ok':
      case 'waiting':
      case 'paired':
        return;
      case 'full':
        return this.fail(ErrorCode.RoomFull, 'Two people are already in this direct session. Ask for a new direct link.', CloseCode.RoomFull);
      case 'busy':
        return this.fail(ErrorCode.Unavailable, 'Too many strangers are waiting right now. Try again in a minute.', CloseCode.Unavailable);
      case 'again':
        return this.fail(ErrorCode.BadRequest, 'This socket is already in a direct session; open a new one for another.', CloseCode.ProtocolError);
      default: {
        const never: never = result;
        return never;
      }
    }
  }

  /** One report per socket, and only from a paired room: an aggregate a lone client cannot pump. */
  private countPath(path: DirectPath): void {
    if (this.pathReported || !this.hub.other(this)) return;
    this.pathReported = true;
    this.deps.metrics.directPaths[path]++;
  }

  private relay(msg: SignalRelayed): void {
    if (!this.hub.inRoom(this)) return this.fail(ErrorCode.NotJoined, 'Join a direct room (or be paired with a stranger) first.');
    const other = this.hub.other(this);
    if (!other) return this.fail(ErrorCode.NoPeer, 'The other person is not here yet; wait for them to open the link.');
    other.send(msg);
  }
}

/** Builds the WebSocket event handlers for one /signal connection. */
export function signalSocket(deps: Deps, hub: SignalHub, originAllowed: boolean): WSEvents<WebSocket> {
  let conn: SignalConnection | undefined;
  return {
    onOpen(_evt, ws) {
      conn = new SignalConnection(ws.raw as WebSocket, deps, hub);
      if (!originAllowed) conn.fail(ErrorCode.ForbiddenOrigin, 'This page is not allowed to connect to this relay.', CloseCode.ForbiddenOrigin);
    },
    onMessage(evt) {
      if (!conn || conn.closed) return;
      if (typeof evt.data !== 'string') return conn.fail(ErrorCode.BadRequest, 'This protocol uses text frames only.', CloseCode.ProtocolError);
      conn.handle(evt.data);
    },
    onClose() {
      if (!conn) return;
      conn.closed = true;
      hub.leave(conn);
    },
  };
}
