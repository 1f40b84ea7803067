import type { z } from 'zod';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { CLOSE_GRACE_MS } from '../../../protocol/src/limits.js';
import type { ErrorMessage } from '../../../protocol/src/messages/error.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { Deps } from '../deps.js';
import { parseClientText } from './parse-message.js';
import type { RawSocket, RawSocketEvents } from './raw-socket.js';
import type { SocketRegistry, Tracked } from './registry.js';
import { TokenBucket } from './token-bucket.js';

/** Where every socket's message queue starts: one settled promise for all, not one per socket. */
const SETTLED: Promise<void> = Promise.resolve();

/** The per-socket limits of one route. */
export interface SocketLimits {
  ratePerSecond: number;
  rateBurst: number;
  /** Unsent bytes past which the socket is dropped as a slow consumer. */
  slowConsumerBytes: number;
  /** Tokens one message of `bytes` costs. */
  cost(bytes: number): number;
  /** Longest text message the route accepts (ws itself refuses past MAX_WS_MESSAGE_BYTES for every route). */
  maxMessageBytes: number;
}

/** What a route does with its sockets: everything the layer does not. */
export interface RouteSocket<M> {
  /** Handles one parsed message. Messages of a socket are handled one at a time, in order. */
  handle(msg: M): void | Promise<void>;
  /** Runs once when the socket ends (either side closed it), after the message in flight. */
  ended(): void | Promise<void>;
}

/** One WebSocket endpoint (/ws, /signal): its name in logs, its schema, its limits and its handler. */
export interface SocketRoute<M extends { type: string }> {
  readonly name: string;
  readonly schema: z.ZodType<M>;
  readonly types: readonly string[];
  readonly limits: SocketLimits;
  /** Reads the route's hot message without the schema; undefined sends the text through the schema as usual. */
  readonly fastParse?: (raw: string) => M | undefined;
  open(sock: ManagedSocket): RouteSocket<M>;
}

/**
 * One client socket of any route, as the relay manages it: parsing, the
 * token bucket, the slow-consumer cut, close grace, heartbeat, the join
 * deadline, metrics and logging. The route's handler sees parsed messages only.
 */
export class ManagedSocket implements Tracked, RawSocketEvents {
  closed = false;
  alive = true;
  ghost: string | undefined;
  private ending = false;
  private queue: Promise<void> = SETTLED;
  /** Messages handed to the queue and not finished; at 0, a message is handled at once (no promise per frame). */
  private pending = 0;
  private readonly bucket: TokenBucket;
  private grace: NodeJS.Timeout | undefined;
  private handler: RouteSocket<{ type: string }> | undefined;

  private constructor(
    private readonly raw: RawSocket,
    private readonly route: SocketRoute<{ type: string }>,
    private readonly deps: Deps,
    private readonly registry: SocketRegistry<ManagedSocket>,
  ) {
    this.bucket = new TokenBucket(route.limits.ratePerSecond, route.limits.rateBurst, deps.now);
  }

  /** Takes over a freshly upgraded socket for `route`; a refused Origin gets its typed error and close at once. */
  static start<M extends { type: string }>(raw: RawSocket, route: SocketRoute<M>, deps: Deps, registry: SocketRegistry<ManagedSocket>, originAllowed: boolean): ManagedSocket {
    const s = new ManagedSocket(raw, route, deps, registry);
    s.handler = route.open(s);
    raw.listen(s);
    registry.add(s);
    deps.metrics.connectionsOpen++;
    deps.metrics.connectionsTotal++;
    deps.log.debug('ws open', { route: route.name, open: registry.size });
    if (!originAllowed) s.fail(ErrorCode.ForbiddenOrigin, 'This page is not allowed to connect to this relay.', CloseCode.ForbiddenOrigin);
    return s;
  }

  /** Sends one text message unless the socket is past its slow-consumer cap, in which case it is dropped; false if not sent. */
  send(data: string | Buffer): boolean {
    if (this.closed) return false;
    if (this.raw.bufferedAmount > this.route.limits.slowConsumerBytes) {
      this.cutSlow();
      return false;
    }
    this.raw.send(data);
    return true;
  }

  /** Drops a client that does not read: the typed error goes past the cap (it is small), then the named close. */
  cutSlow(): void {
    if (this.closed) return;
    this.deps.metrics.protocolErrors++;
    this.raw.send(JSON.stringify(errorFrame(ErrorCode.SlowConsumer, 'You were not reading fast enough; reconnect when your connection is better.')));
    this.close(CloseCode.SlowConsumer, ErrorCode.SlowConsumer);
  }

  /** Sends a typed error; with `closeCode`, then closes the socket with that named code. */
  fail(code: ErrorCode, message: string, closeCode?: CloseCode, ref?: number): void {
    if (this.closed) return;
    this.deps.metrics.protocolErrors++;
    this.send(JSON.stringify(errorFrame(code, message, ref)));
    if (closeCode !== undefined) this.close(closeCode, code);
  }

  /** Starts the close handshake; a peer that does not finish it within CLOSE_GRACE_MS is cut off. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.registry.joined(this);
    this.raw.close(code, reason);
    this.grace = setTimeout(() => this.raw.terminate(), CLOSE_GRACE_MS);
    this.grace.unref();
    this.end();
  }

  /** Drops the TCP connection at once (drain, after its grace). */
  terminate(): void {
    this.raw.terminate();
  }

  /** The route found this socket a purpose (it joined): the join deadline is off. */
  joined(): void {
    this.registry.joined(this);
  }

  /** The socket holds nothing any more: it must join again within the deadline. */
  awaitJoin(): void {
    if (!this.closed) this.registry.awaitJoin(this);
  }

  /** Counts against the per-ghost cap of this instance; false if the ghost is at it. */
  claimGhost(ghost: string): boolean {
    return this.registry.claimGhost(this, ghost);
  }

  ping(): void {
    if (!this.closed) this.raw.ping();
  }

  timedOut(): void {
    this.fail(ErrorCode.IdleTimeout, 'The connection went quiet; reconnect.', CloseCode.IdleTimeout);
  }

  purposeless(): void {
    this.fail(ErrorCode.JoinTimeout, 'This connection joined nothing in time; open the link again.', CloseCode.JoinTimeout);
  }

  /** RawSocketEvents: a pong answers the last ping. */
  onPong(): void {
    this.alive = true;
  }

  /** RawSocketEvents: one whole message from the client. */
  onMessage(text: string | null, bytes: number): void {
    if (this.closed) return;
    // Charged on arrival, before queueing, so a flood cannot grow the queue.
    if (!this.bucket.take(this.route.limits.cost(bytes))) {
      return this.fail(ErrorCode.RateLimited, 'You are sending too fast. Wait a moment, then reconnect.', CloseCode.RateLimited);
    }
    // One at a time, in order: while an earlier message is still being handled (a join waiting
    // for the store), this one waits behind it; otherwise it is handled now, and only a handler
    // that really waits costs a promise.
    if (this.pending === 0) this.track(this.process(text));
    else this.track(this.queue.then(() => this.process(text)));
  }

  private track(p: Promise<void> | undefined): void {
    if (!p) return;
    this.pending++;
    this.queue = p.finally(() => {
      this.pending--;
    });
  }

  private process(text: string | null): Promise<void> | undefined {
    if (this.closed) return;
    if (text === null) {
      this.fail(ErrorCode.BadRequest, 'This protocol uses text frames only.', CloseCode.ProtocolError);
      return;
    }
    if (text.length > this.route.limits.maxMessageBytes) {
      this.fail(ErrorCode.TooLarge, `Messages here can be at most ${this.route.limits.maxMessageBytes} bytes.`, CloseCode.TooLarge);
      return;
    }
    let msg = this.route.fastParse?.(text);
    if (msg === undefined) {
      const parsed = parseClientText(text, this.route.schema, this.route.types);
      if (!parsed.ok) {
        this.fail(parsed.code, parsed.message, parsed.closeCode);
        return;
      }
      msg = parsed.msg;
    }
    let done: void | Promise<void>;
    try {
      done = this.handler?.handle(msg);
    } catch (err) {
      this.handlerFailed(err);
      return;
    }
    return done ? done.catch((err: unknown) => this.handlerFailed(err)) : undefined;
  }

  private handlerFailed(err: unknown): void {
    this.deps.log.error('socket handler failed', { route: this.route.name, err: (err as Error).name });
    this.fail(ErrorCode.Unavailable, 'The relay could not complete that; try again in a moment.', CloseCode.Unavailable);
  }

  /** RawSocketEvents: the socket closed, either side. */
  onClose(code: number): void {
    this.closed = true;
    clearTimeout(this.grace);
    this.registry.remove(this);
    this.deps.metrics.connectionsOpen--;
    this.deps.log.debug('ws closed', { route: this.route.name, code, open: this.registry.size });
    this.end();
  }

  /** The route's end, once, on the first of our close and the peer's: the other side of a room hears of it at once. */
  private end(): void {
    const handler = this.handler;
    if (this.ending || !handler) return;
    this.ending = true;
    this.queue = this.queue
      .then(() => handler.ended())
      .catch((err: unknown) => this.deps.log.warn('socket end failed', { route: this.route.name, err: (err as Error).name }));
  }
}

function errorFrame(code: ErrorCode, message: string, ref?: number): ErrorMessage {
  return { v: PROTOCOL_VERSION, type: 'error', code, message, ...(ref === undefined ? {} : { ref }) };
}
