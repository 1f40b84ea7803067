import { describe, expect, it } from 'vitest';
import { deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { createApp, originAllowed } from './app.js';
import { testDeps } from './test-deps.js';

const post = (app: ReturnType<typeof createApp>['app'], path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('relay HTTP API', () => {
  it('creates a room and mints a join token for the right access key only', async () => {
    const { app } = createApp(testDeps());
    const k = await deriveRoomKeys(newRoomSecret());
    const created = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ roomId: k.roomId, capacity: 16 });

    const ok = await post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(k.accessKey) });
    expect(ok.status).toBe(201);
    expect((await ok.json()).token).toMatch(/^[\w-]+\.[\w-]+$/);

    const wrong = await post(app, `/api/rooms/${k.roomId}/join-tokens`, { accessKey: toBase64url(new Uint8Array(32)) });
    const missing = await post(app, `/api/rooms/${'A'.repeat(22)}/join-tokens`, { accessKey: toBase64url(k.accessKey) });
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await wrong.json()).toEqual(await missing.json());
  });

  it('refuses a duplicate room id with 409', async () => {
    const { app } = createApp(testDeps());
    const k = await deriveRoomKeys(newRoomSecret());
    await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash });
    const again = await post(app, '/api/rooms', { roomId: k.roomId, accessKeyHash: k.accessKeyHash });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe('room_exists');
  });

  it('answers bad input with 400 and a sentence naming the problem', async () => {
    const { app } = createApp(testDeps());
    const notJson = await post(app, '/api/rooms', '{nope');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'bad_request', message: 'The request body is not valid JSON.' });
    const badField = await post(app, '/api/rooms', { roomId: 'short', accessKeyHash: 'x' });
    expect(badField.status).toBe(400);
    expect((await badField.json()).message).toMatch(/roomId/);
    const tooLong = await post(app, '/api/rooms', { roomId: 'x'.repeat(20_000) });
    expect(tooLong.status).toBe(413);
  });

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
