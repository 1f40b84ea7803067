import type { ClientMessage } from '../../../protocol/src/client-message.js';
import { CloseCode } from '../../../protocol/src/codes.js';
import { serverMessageSchema, type ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { backoff } from './backoff.js';
import { parseServerText } from './server-text.js';

export type ConnectionState =
  | { phase: 'idle' }
  | { phase: 'connecting'; attempt: number }
  | { phase: 'open' }
  | { phase: 'waiting'; attempt: number; retryInMs: number; reason: string }
  /**
   * `code`: the close code (or, for a refused join token, the matching one) that ended it; absent when we left.
   * `error`: the relay's error code when it refused the join token (e.g. `invite_required`).
   */
  | { phase: 'closed'; reason: string; code?: number; error?: string };

/** The parts of the WebSocket constructor the client uses (the browser's, or `ws` in Node tests). */
export type WebSocketCtor = new (url: string) => WebSocket;

export interface RelayClientDeps {
  url: string;
  WebSocket: WebSocketCtor;
  /** Fetches a fresh single-use join token for every (re)connect. */
  joinToken(): Promise<string>;
  /** The last room sequence number seen, sent on (re)join so a room's backlog replays only what was missed. */
  lastSeq?(): number | undefined;
  onMessage(msg: ServerMessage): void;
  onState(state: ConnectionState): void;
  random?: () => number;
}

/** Close codes after which reconnecting cannot help; each maps to a sentence. */
const FATAL: Partial<Record<number, string>> = {
  [CloseCode.RoomGone]: 'This room has expired or was destroyed.',
  [CloseCode.RoomFull]: 'This room is full. Try again later.',
  [CloseCode.Unauthorized]: 'The relay refused this invite. Ask for a new link.',
  [CloseCode.ForbiddenOrigin]: 'This page is not allowed to use this relay.',
  [CloseCode.ProtocolError]: 'This app and the relay disagree about the protocol. Reload the page.',
  [CloseCode.TooLarge]: 'A message was too large for the relay.',
  [CloseCode.Destroyed]: 'Your ghost was destroyed.',
  [CloseCode.MessageTooBig]: 'A message was too large for the relay.',
};

/**
 * One connection to /ws for one room, as a state machine with a single
 * setState(). It reconnects with full-jitter backoff and joins again with a
 * fresh token after every drop, unless the close code says it cannot help.
 */
export class RelayClient {
  private state: ConnectionState = { phase: 'idle' };
  private ws: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly deps: RelayClientDeps) {}

  get current(): ConnectionState {
    return this.state;
  }

  private setState(next: ConnectionState): void {
    this.state = next;
    this.deps.onState(next);
  }

  connect(): void {
    if (this.stopped || this.state.phase === 'connecting' || this.state.phase === 'open') return;
    clearTimeout(this.timer);
    this.setState({ phase: 'connecting', attempt: this.attempt });
    void this.open();
  }

  private async open(): Promise<void> {
    let token: string;
    try {
      token = await this.deps.joinToken();
    } catch (err) {
      const e = err as { status?: number; message?: string; code?: unknown };
      const error = typeof e.code === 'string' ? e.code : undefined;
      // 404 means the room is gone (or the link is wrong), 403 that this invite no longer admits us: retrying cannot help.
      if (e.status === 404) { this.finish(e.message ?? 'This room no longer exists.', CloseCode.RoomGone, error); return; }
      if (e.status === 403) { this.finish(e.message ?? 'The relay refused this invite. Ask for a new link.', CloseCode.Unauthorized, error); return; }
      this.retry(e.message ?? 'The relay cannot be reached.'); return;
    }
    if (this.stopped) return;
    const ws = new this.deps.WebSocket(this.deps.url);
    this.ws = ws;
    ws.onopen = () => {
      const lastSeq = this.deps.lastSeq?.();
      ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'join', token, ...(lastSeq === undefined ? {} : { lastSeq }) } satisfies ClientMessage));
    };
    ws.onmessage = (ev: MessageEvent) => {
      const msg = parseServerText(ev.data, serverMessageSchema);
      if (!msg) return;
      if (msg.type === 'joined') {
        this.attempt = 0;
        this.setState({ phase: 'open' });
      }
      this.deps.onMessage(msg);
    };
    // Closing a socket still connecting fires an error (Node's ws throws it if nobody listens); onclose says what happened.
    ws.onerror = () => undefined;
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      const fatal = FATAL[ev.code];
      if (fatal) this.finish(fatal, ev.code);
      else this.retry(ev.code === CloseCode.GoingAway ? 'The relay is restarting.' : 'Connection lost.');
    };
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    const retryInMs = backoff(this.attempt, this.deps.random);
    this.setState({ phase: 'waiting', attempt: this.attempt, retryInMs, reason });
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), retryInMs);
  }

  private finish(reason: string, code: number, error?: string): void {
    this.stopped = true;
    this.setState({ phase: 'closed', reason, code, ...(error ? { error } : {}) });
  }

  /** Reconnects now instead of waiting out the backoff (e.g. when the browser comes back online). */
  nudge(): void {
    if (this.state.phase === 'waiting') {
      clearTimeout(this.timer);
      this.connect();
    }
  }

  /** Sends a message if the socket is open; returns whether it was handed to the socket. */
  send(msg: ClientMessage): boolean {
    if (this.state.phase !== 'open' || !this.ws) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(CloseCode.Normal);
    this.setState({ phase: 'closed', reason: 'You left the room.' });
  }
}
