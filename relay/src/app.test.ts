import { describe, expect, it } from 'vitest';
import { deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { createGhost, newPublicKey, solveChallenge, type Requester, type TestGhost } from '../../tests/support/ghost.js';
import { ROOM_MAX_CAPACITY } from '../../protocol/src/limits.js';
import { createApp } from './app.js';
import { originAllowed } from './ws/socket-layer.js';
import { PowIssuer } from './pow/issuer.js';
import { testDeps } from './test-deps.js';

type App = ReturnType<typeof createApp>['app'];
const requester = (app: App): Requester => async (path, init) => app.request(path, init);

const post = (app: App, path: string, body: unknown, ghost?: TestGhost) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ghost ? { authorization: ghost.auth } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function setup(env: Record<string, string> = {}) {
  const deps = testDeps(env);
  const { app } = createApp(deps);
  const ghost = await createGhost(requester(app));
  return { app, deps, ghost };
}

describe('relay HTTP API: rooms', () => {
  it('creates a room and mints a join token for the right access key only', async () => {
    const { app, ghost } = await setup();
    const k = await deriveRoomKeys(newRoomSecret());
    const created = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash }, ghost);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ roomId: k.roomId, capacity: 16 });

    const ok = await post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(k.accessKey) }, ghost);
    expect(ok.status).toBe(201);
    expect((await ok.json()).token).toMatch(/^[\w-]+\.[\w-]+$/);

    const wrong = await post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(new Uint8Array(32)) }, ghost);
    const missing = await post(app, `/api/rooms/${'A'.repeat(22)}/join-tokens`, { accessKey: toBase64url(k.accessKey) }, ghost);
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await wrong.json()).toEqual(await missing.json());
  });

  it('creates rooms up to the protocol ceiling by default, and refuses past an operator-set ROOM_MAX_CAPACITY with a sentence', async () => {
    const big = await setup();
    const k = await deriveRoomKeys(newRoomSecret());
    const ok = await post(big.app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash, capacity: ROOM_MAX_CAPACITY }, big.ghost);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ capacity: ROOM_MAX_CAPACITY });
    const past = await post(big.app, '/api/rooms', { roomId: (await deriveRoomKeys(newRoomSecret())).roomId, accessKeyHash: k.accessKeyHash, capacity: ROOM_MAX_CAPACITY + 1 }, big.ghost);
    expect(past.status).toBe(400);

    const small = await setup({ ROOM_MAX_CAPACITY: '8' });
    const k2 = await deriveRoomKeys(newRoomSecret());
    const refused = await post(small.app, '/api/rooms', { roomId: k2.roomId, accessKeyHash: k2.accessKeyHash, capacity: 9 }, small.ghost);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'bad_request', message: /at most 8 members/ });
    const dflt = await post(small.app, '/api/rooms', { roomId: k2.roomId, accessKeyHash: k2.accessKeyHash }, small.ghost);
    expect(dflt.status).toBe(201);
    expect(await dflt.json()).toMatchObject({ capacity: 8 });
  });

  it('needs a ghost to create rooms and mint tokens', async () => {
    const { app } = await setup();
    const k = await deriveRoomKeys(newRoomSecret());
    const anon = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ error: 'unauthorized', message: /Reload the page/ });
    const forged = await app.request('/api/rooms', { method: 'POST', headers: { authorization: `Bearer ${'A'.repeat(22)}.${'B'.repeat(43)}` }, body: '{}' });
    expect(forged.status).toBe(401);
  });

  it('refuses a duplicate room id with 409', async () => {
    const { app, ghost } = await setup();
    const k = await deriveRoomKeys(newRoomSecret());
    await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash }, ghost);
    const again = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash }, ghost);
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe('room_exists');
  });

  it('answers bad input with 400 and a sentence naming the problem', async () => {
    const { app, ghost } = await setup();
    const notJson = await post(app, '/api/rooms', '{nope', ghost);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'bad_request', message: 'The request body is not valid JSON.' });
    const badField = await post(app, '/api/rooms', { roomId: 'short', accessKeyHash: 'x' }, ghost);
    expect(badField.status).toBe(400);
    expect((await badField.json()).message).toMatch(/roomId/);
    const tooLong = await post(app, '/api/rooms', { roomId: 'x'.repeat(20_000) }, ghost);
    expect(tooLong.status).toBe(413);
  });

  it('lists public rooms only, with participants and heat', async () => {
    const { app, ghost } = await setup();
    const pub = await deriveRoomKeys(newRoomSecret());
    const priv = await deriveRoomKeys(newRoomSecret());
    await post(app, '/api/rooms', { roomId: pub.roomId, accessKeyHash: pub.accessKeyHash, public: true, meta: 'bG9iYnk' }, ghost);
    await post(app, '/api/rooms', { roomId: priv.roomId, accessKeyHash: priv.accessKeyHash }, ghost);
    const list = await (await app.request('/api/rooms')).json();
    expect(list).toEqual({ rooms: [expect.objectContaining({ roomId: pub.roomId, meta: 'bG9iYnk', participants: 0, heat: 0 })] });
  });

  it('asks for a fresh invite ticket when the room wants one, minted only by a member', async () => {
    const { app, ghost } = await setup();
    const k = await deriveRoomKeys(newRoomSecret());
    await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash, invites: true }, ghost);
    const bare = await post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(k.accessKey) }, ghost);
    expect(bare.status).toBe(403);
    expect((await bare.json()).error).toBe('invite_required');
    // Not a member yet (members join over /ws): no ticket, and the same answer as for a missing room.
    const notMember = await post(app, `/api/rooms/${k.roomId}/invites`, {}, ghost);
    expect(notMember.status).toBe(404);
  });

  it('takes a ticket once, and lets the ghost it admitted, or one that left the room, back in without one within the grace', async () => {
    const { app, deps, ghost } = await setup();
    const guest = await createGhost(requester(app));
    const k = await deriveRoomKeys(newRoomSecret());
    const created = await (await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash, invites: true }, ghost)).json();
    const ask = (g: TestGhost, ticket?: string) => post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(k.accessKey), ...(ticket ? { ticket } : {}) }, g);
    expect((await ask(ghost, created.ticket)).status).toBe(201);
    // The same ticket again (a photo of the QR), by another ghost: refused.
    expect((await ask(guest, created.ticket)).status).toBe(403);
    // The ghost it admitted may retry without it (its first socket may fail before it joins).
    expect((await ask(ghost)).status).toBe(201);
    // Members join over /ws; here the store stands in for it.
    await deps.store.joinRoom(k.roomId, 'm', ghost.ghostId, deps.now());
    expect((await ask(ghost)).status).toBe(201);
    await deps.store.leaveRoom(k.roomId, 'm', ghost.ghostId, deps.now(), 60_000);
    expect((await ask(ghost)).status).toBe(201);
    expect((await ask(guest)).status).toBe(403);
  });

  it('demands a proof of work for rooms under load', async () => {
    const { app, deps, ghost } = await setup({ POW_RATE_PER_MINUTE: '1' });
    for (let i = 0; i < 10; i++) await deps.store.count('create', Date.now());
    // A fresh issuer: the app's caches its difficulty for a second.
    deps.pow = new PowIssuer(deps.config.joinTokenSecret, deps.store, deps.config.pow);
    const k = await deriveRoomKeys(newRoomSecret());
    const busy = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash }, ghost);
    expect(busy.status).toBe(429);
    expect((await busy.json()).error).toBe('pow_required');
    const pow = await solveChallenge(requester(app));
    const paid = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash, pow }, ghost);
    expect(paid.status).toBe(201);
  });
});

describe('relay HTTP API: ghosts', () => {
  it('creates a ghost once per solved challenge; a replayed solution is refused', async () => {
    const deps = testDeps();
    const { app } = createApp(deps);
    const pow = await solveChallenge(requester(app));
    const body = async () => ({ pow, publicKey: await newPublicKey(), alg: 'ECDSA-P256' });
    const first = await post(app, '/api/ghosts', await body());
    expect(first.status).toBe(201);
    const g = await first.json();
    expect(g.ghostId).toMatch(/^[\w-]{22}$/);
    expect(g.token.startsWith(g.ghostId)).toBe(true);
    expect(g.hardExpiresAt - g.expiresAt).toBeGreaterThan(23 * 3_600_000);
    const again = await post(app, '/api/ghosts', await body());
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error: 'pow_invalid', message: /already used/ });
  });

  it('refuses a key that is not a P-256 SPKI before spending the work', async () => {
    const { app } = createApp(testDeps());
    const pow = await solveChallenge(requester(app));
    const bad = await post(app, '/api/ghosts', { pow, publicKey: 'A'.repeat(120) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/publicKey/);
    expect((await post(app, '/api/ghosts', { pow, publicKey: await newPublicKey() })).status).toBe(201);
  });

  it('reports the footprint, and destroys the ghost with Clear-Site-Data', async () => {
    const { app, ghost } = await setup();
    const fp = await (await app.request('/api/ghosts/me/footprint', { headers: { authorization: ghost.auth } })).json();
    expect(fp.ghostId).toBe(ghost.ghostId);
    expect(fp.records).toEqual([{ kind: 'ghost', count: 1, expiresAt: expect.any(Number) }]);
    const del = await app.request('/api/ghosts/me', { method: 'DELETE', headers: { authorization: ghost.auth } });
    expect(del.status).toBe(204);
    expect(del.headers.get('clear-site-data')).toBe('"cache", "storage"');
    expect((await app.request('/api/ghosts/me/footprint', { headers: { authorization: ghost.auth } })).status).toBe(401);
  });

  it('destroys through the beacon path with the token in the body', async () => {
    const { app, ghost } = await setup();
    const wrong = await app.request('/api/ghosts/me/destroy', { method: 'POST', body: JSON.stringify({ token: `${ghost.ghostId}.${'x'.repeat(43)}` }) });
    expect(wrong.status).toBe(401);
    // sendBeacon sends text/plain; the body is JSON all the same.
    const res = await app.request('/api/ghosts/me/destroy', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ token: ghost.token }) });
    expect(res.status).toBe(204);
    expect((await app.request('/api/ghosts/me/footprint', { headers: { authorization: ghost.auth } })).status).toBe(401);
  });

  it('serves aggregate stats only', async () => {
    const { app } = await setup();
    const stats = await (await app.request('/api/stats')).json();
    expect(stats).toEqual({
      activeGhosts: 1,
      activeRooms: 0,
      publicRooms: 0,
      messagesLastHour: 0,
      roomsCreatedLastHour: 0,
      roomCreationPerMinute: 0,
      meanSessionSeconds: null,
      powDifficulty: 8,
    });
  });
});

describe('relay HTTP basics', () => {
  it('puts security headers and no-store on API answers', async () => {
    const { app } = createApp(testDeps());
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'memory' });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const unknown = await app.request('/api/nope');
    expect(unknown.status).toBe(404);
  });

  it('asks for an upgrade on a plain GET /ws', async () => {
    const { app } = createApp(testDeps());
    expect((await app.request('/ws')).status).toBe(426);
  });
});

describe('originAllowed', () => {
  it('allows same-host and listed origins, and clients that send none', () => {
    expect(originAllowed('http://localhost:8080', 'localhost:8080', [])).toBe(true);
    expect(originAllowed('https://evil.example', 'localhost:8080', [])).toBe(false);
    expect(originAllowed('https://app.example', 'relay.example', ['https://app.example'])).toBe(true);
    expect(originAllowed(undefined, 'localhost:8080', [])).toBe(true);
    expect(originAllowed('not a url', 'localhost:8080', [])).toBe(false);
  });
});

describe('POST /api/wipe', () => {
  it('answers 204 with Clear-Site-Data and no-store', async () => {
    const { app } = createApp(testDeps());
    const res = await app.request('/api/wipe', { method: 'POST', headers: { origin: 'http://localhost', host: 'localhost', 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('clear-site-data')).toBe('"cache", "storage"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('');
  });

  it('refuses a wipe asked by another site', async () => {
    const { app } = createApp(testDeps());
    const res = await app.request('/api/wipe', { method: 'POST', headers: { origin: 'https://evil.example', host: 'localhost', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('clear-site-data')).toBeNull();
    expect((await res.json()).error).toBe('forbidden_origin');
  });
});
