import type WebSocket from 'ws';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../protocol/src/crypto/derive.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';
import { createGhost, over, type TestGhost } from './ghost.js';
import { RecordingSocket } from './recording-socket.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** A test client on /ws that records everything it receives and how the socket closed. */
export class TestSocket extends RecordingSocket<ServerMessage> {
  static async open(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    return RecordingSocket.connect((ws) => new TestSocket(ws), url, '/ws', headers, options);
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
  s.send({ v: PROTOCOL_VERSION, type: 'join', token: await joinToken(base, keys, ghost), ...(lastSeq === undefined ? {} : { lastSeq }) });
  await s.next('joined');
  return s;
}

/** A `frame` message carrying `text` sealed with the room key (what a member without signing would send). */
export const textFrame = async (keys: RoomKeys, ref: number, text: string) => ({
  v: PROTOCOL_VERSION,
  type: 'frame',
  room: keys.roomId,
  ref,
  data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8(text))),
});
