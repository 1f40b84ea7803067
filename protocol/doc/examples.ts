import { base64urlLength } from '../src/messages/common.js';
import { CHAT_FRAME_BYTES } from '../src/limits.js';
import { PROTOCOL_VERSION } from '../src/version.js';

/**
 * Hand-written examples for protocol/README.md. The renderer parses each
 * with its schema, so an example that stops matching the wire fails the
 * doc test. Messages and endpoints without one get a synthesized example.
 */
const ROOM = 'q3VfN0uJ8c2Lh7aZ1xY4Tg';
const ME = 'Zk1uQm9vT2xJc3VhbEtpZA';
const OTHER = 'c0Rf7pHq2LmWxYv9TnB3eA';
const SEALED = 'A'.repeat(base64urlLength(CHAT_FRAME_BYTES));
const TOKEN = 'eyJyIjoicTNWZk4wdUo4YzJMaDdhWjF4WTRUZyIsImoiOiJ5S2pYcDNWbEZ3OUduUjJtUWhUNUJ3IiwieCI6MTc2NDAwMDA2MCwiZSI6IjMxZTQifQ.Rk9PQkFSQkFaUVVYLXNpZ25hdHVyZS1leGFtcGxlLTQzYw';
const AT = 1764000000000;
/** Opaque MLS handshake blobs (abridged: real ones run to kilobytes). */
const COMMIT = 'AAEAAgADAAQABQAGAAcACAAJ';
const WELCOME = 'AAEAAwAFAAcACQALAA0ADwAR';

/** `<direction>:<type>` for /ws messages (direction `client` or `server`), `<METHOD> <path> <request|response>` for HTTP. */
export const EXAMPLES: Record<string, unknown> = {
  'client:join': { v: PROTOCOL_VERSION, type: 'join', token: TOKEN, lastSeq: 41 },
  'client:frame': { v: PROTOCOL_VERSION, type: 'frame', room: ROOM, ref: 7, data: SEALED },
  'client:leave': { v: PROTOCOL_VERSION, type: 'leave', room: ROOM },
  'server:joined': { v: PROTOCOL_VERSION, type: 'joined', room: ROOM, member: ME, members: [OTHER], seq: 42, expiresAt: AT + 7_200_000, epoch: 3 },
  'server:frame': { v: PROTOCOL_VERSION, type: 'frame', room: ROOM, seq: 43, from: OTHER, data: SEALED },
  'server:sent': { v: PROTOCOL_VERSION, type: 'sent', room: ROOM, ref: 7, seq: 44, delivered: 1 },
  'server:presence': { v: PROTOCOL_VERSION, type: 'presence', room: ROOM, member: OTHER, event: 'join' },
  'server:error': { v: PROTOCOL_VERSION, type: 'error', code: 'not_joined', message: 'You have not joined that room.', ref: 7 },
  'client:commit': { v: PROTOCOL_VERSION, type: 'commit', room: ROOM, ref: 8, epoch: 3, data: COMMIT, welcome: WELCOME },
  'server:commit': { v: PROTOCOL_VERSION, type: 'commit', room: ROOM, seq: 45, from: OTHER, epoch: 3, data: COMMIT, welcome: WELCOME },
  'server:committed': { v: PROTOCOL_VERSION, type: 'committed', room: ROOM, ref: 8, seq: 45, epoch: 4, delivered: 1 },
  'POST /api/rooms request': { roomId: ROOM, accessKeyHash: 'm0n3dQ8pB5yq4kWZ9xTn1cLrVh2sJfGa7uE6oRiKbY0', ttlSeconds: 7200, capacity: 16, backlog: 50 },
  'POST /api/rooms response': { roomId: ROOM, capacity: 16, expiresAt: AT + 7_200_000, backlog: 50 },
  'POST /api/rooms/:id/join-tokens request': { accessKey: 'Xb7Qm2rV9kLs4NpT1wYc8HdJ3fGe6uZa0oRiKqEyB5M' },
  'POST /api/rooms/:id/join-tokens response': { token: TOKEN, expiresAt: AT + 60_000 },
  'GET /api/pow response': { challenge: 'AAECAwQFBgcICQoLDA0ODw.1764000060.16.mac-example', difficulty: 16, subPuzzles: 16, expiresAt: AT + 60_000 },
  'GET /health response': { status: 'ok', store: 'memory', storeStatus: 'ok', draining: false, uptimeSeconds: 3600 },
  'http error': { error: 'room_not_found', message: 'This room does not exist, has expired, or the link is wrong. Ask for a new invite link.' },
  'content-part': { m: 'bX9yQ2xT0pVwAb3D', s: 'q3Jt8ZkW0aE', c: 7, i: 0, n: 1, len: 42 },
  'content-text': { k: 'text', body: 'Hello, room.', at: AT },
};
