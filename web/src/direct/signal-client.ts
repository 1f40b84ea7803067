import { signalServerMessageSchema, type SignalClientMessage, type SignalServerMessage } from '../../../protocol/src/signal-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { WebSocketCtor } from '../net/relay-client.js';
import { parseServerText } from '../net/server-text.js';

export interface SignalClientDeps {
  /** ws:// or wss:// URL of /signal. */
  url: string;
  WebSocket: WebSocketCtor;
  onMessage(msg: SignalServerMessage): void;
  /** The socket closed (by either side); `code` is a CloseCode or a transport code. */
  onClose(code: number): void;
}

/**
 * One /signal socket for one direct session. No reconnect: a new socket is a
 * new peer to the other side, so the session decides what to do on close.
 * Every frame from the relay is parsed with the protocol's schema.
 */
export class SignalClient {
  private ws: WebSocket | undefined;
  private closed = false;

  constructor(private readonly deps: SignalClientDeps) {}

  /** Opens the socket and sends `first` (join or stranger) as soon as it is open. */
  open(first: SignalClientMessage): void {
    const ws = new this.deps.WebSocket(this.deps.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify(first));
    ws.onmessage = (ev: MessageEvent) => {
      const msg = parseServerText(ev.data, signalServerMessageSchema);
      if (msg) this.deps.onMessage(msg);
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (!this.closed) this.deps.onClose(ev.code);
    };
  }

  get isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  /** Sends if the socket is open; returns whether it was handed over. */
  send(msg: SignalClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  close(): void {
    this.closed = true;
    const ws = this.ws;
    this.ws = undefined;
    if (ws && ws.readyState <= 1) {
      if (ws.readyState === 1) ws.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'leave' } satisfies SignalClientMessage));
      ws.close(1000);
    }
  }
}
