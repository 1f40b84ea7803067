import WebSocket from 'ws';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../protocol/src/crypto/derive.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';
import { createGhost, over, type TestGhost } from './ghost.js';

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

async function post(url: string, body: unknown, ghost?: TestGhost): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ghost ? { authorization: ghost.auth } : {}) },
    body: JSON.stringify(body),
  });
}

/** One ghost per relay for tests that do not care which ghost acts (proof of work is not free). */
const shared = new Map<string, Promise<TestGhost>>();
export function sharedGhost(base: string): Promise<TestGhost> {
  let g = shared.get(base);
  if (!g) shared.set(base, (g = createGhost(over(base))));
  return g;
}

/** Room keys plus the ghost that created the room. */
export type TestRoom = RoomKeys & { ghost: TestGhost };

/** Creates a room on a relay the way the PWA does (as `opts.ghost`, or the relay's shared test ghost); returns its keys. */
export async function createRoom(base: string, opts: { capacity?: number; backlog?: number; backlogTtlSeconds?: number; public?: boolean; invites?: boolean; ghost?: TestGhost } = {}): Promise<TestRoom> {
  const { ghost: given, ...fields } = opts;
  const ghost = given ?? (await sharedGhost(base));
  const keys = await deriveRoomKeys(newRoomSecret());
  const res = await post(`${base}/api/rooms`, { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, ...fields }, ghost);
  if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
  return { ...keys, ghost };
}

/** A join token for `ghost` (default: the room creator's ghost). */
export async function joinToken(base: string, keys: RoomKeys & { ghost?: TestGhost }, ghost?: TestGhost, ticket?: string): Promise<string> {
  const g = ghost ?? keys.ghost ?? (await sharedGhost(base));
  const res = await post(`${base}/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey), ...(ticket ? { ticket } : {}) }, g);
  if (res.status !== 201) throw new Error(`join token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Opens a socket and joins the room; resolves once `joined` arrives. */
export async function joinedSocket(
  base: string,
  keys: RoomKeys & { ghost?: TestGhost },
  extra: TestGhost | { lastSeq?: number; ghost?: TestGhost } = {},
): Promise<TestSocket> {
  const { ghost, lastSeq } = 'auth' in extra ? { ghost: extra, lastSeq: undefined } : extra;
  const s = await TestSocket.open(base);
  s.send({ v: 1, type: 'join', token: await joinToken(base, keys, ghost), ...(lastSeq === undefined ? {} : { lastSeq }) });
  await s.next('joined');
  return s;
}
