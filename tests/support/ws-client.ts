import WebSocket from 'ws';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../protocol/src/crypto/derive.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';

/** A test client on /ws that records everything it receives and how the socket closed. */
export class TestSocket {
  readonly received: ServerMessage[] = [];
  readonly rawSizes: number[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.rawSizes.push(Buffer.byteLength(text));
      this.received.push(JSON.parse(text) as ServerMessage);
      this.flush();
    });
    // A socket the relay cuts off may error (ECONNRESET); the close event still reports it.
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.flush();
    });
  }

  static async open(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws', { headers, ...options });
    const s = new TestSocket(ws);
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

  /** Resolves with the first received message matching `pred` (past or future). */
  async next<T extends ServerMessage['type']>(type: T, pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true, ms = 5000): Promise<Extract<ServerMessage, { type: T }>> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.received.find((m): m is Extract<ServerMessage, { type: T }> => m.type === type && pred(m as Extract<ServerMessage, { type: T }>));
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

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Creates a room on a relay the way the PWA does; returns its keys. */
export async function createRoom(base: string, opts: { capacity?: number; backlog?: number; backlogTtlSeconds?: number } = {}): Promise<RoomKeys> {
  const keys = await deriveRoomKeys(newRoomSecret());
  const res = await post(`${base}/api/rooms`, { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, ...opts });
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return keys;
}

export async function joinToken(base: string, keys: RoomKeys): Promise<string> {
  const res = await post(`${base}/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey) });
  if (res.status !== 201) throw new Error(`join token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Opens a socket and joins the room; resolves once `joined` arrives. */
export async function joinedSocket(base: string, keys: RoomKeys, extra: { lastSeq?: number } = {}): Promise<TestSocket> {
  const s = await TestSocket.open(base);
  s.send({ v: 1, type: 'join', token: await joinToken(base, keys), ...extra });
  await s.next('joined');
  return s;
}
