import WebSocket from 'ws';

/**
 * A test client socket that records every JSON message it receives, their
 * sizes, and how the socket closed; `next` finds a message past or future.
 * TestSocket (/ws) and SignalSocket (/signal) are this with their message types.
 */
export class RecordingSocket<M extends { type: string }> {
  readonly received: M[] = [];
  readonly rawSizes: number[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.rawSizes.push(Buffer.byteLength(text));
      this.received.push(JSON.parse(text) as M);
      this.flush();
    });
    // A socket the relay cuts off may error (ECONNRESET); the close event still reports it.
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.flush();
    });
  }

  /**
   * Connects `base` + `path` and resolves once the socket is open. The
   * recorder is attached before that: a relay may send its first message in
   * the same packet as the upgrade (a refused Origin does), and `ws` emits it
   * before any later listener could see it.
   */
  protected static async connect<S extends RecordingSocket<{ type: string }>>(
    make: (ws: WebSocket) => S,
    base: string,
    path: string,
    headers: Record<string, string> = {},
    options: WebSocket.ClientOptions = {},
  ): Promise<S> {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + path, { headers, ...options });
    const s = make(ws);
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
  async next<T extends M['type']>(type: T, pred: (m: Extract<M, { type: T }>) => boolean = () => true, ms = 5000): Promise<Extract<M, { type: T }>> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.received.find((m): m is Extract<M, { type: T }> => m.type === type && pred(m as Extract<M, { type: T }>));
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
