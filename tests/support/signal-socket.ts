import WebSocket from 'ws';
import type { SignalServerMessage } from '../../protocol/src/signal-message.js';

/** A test client on /signal that records everything it receives and how the socket closed. */
export class SignalSocket {
  readonly received: SignalServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as SignalServerMessage);
      this.flush();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.flush();
    });
  }

  static async open(base: string, headers: Record<string, string> = {}): Promise<SignalSocket> {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/signal', { headers });
    const s = new SignalSocket(ws);
    await new Promise<void>((res, rej) => {
      ws.once('open', () => res());
      ws.once('error', rej);
    });
    return s;
  }

  private flush(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Resolves with the first received message of `type` matching `pred` (past or future). */
  async next<T extends SignalServerMessage['type']>(type: T, pred: (m: Extract<SignalServerMessage, { type: T }>) => boolean = () => true, ms = 5000): Promise<Extract<SignalServerMessage, { type: T }>> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.received.find((m): m is Extract<SignalServerMessage, { type: T }> => m.type === type && pred(m as Extract<SignalServerMessage, { type: T }>));
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no ${type} message within ${ms} ms; got ${JSON.stringify(this.received.map((m) => m.type))}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async waitClosed(ms = 5000): Promise<{ code: number; reason: string }> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}
