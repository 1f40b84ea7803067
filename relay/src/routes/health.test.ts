import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { testDeps } from '../test-deps.js';

describe('health routes', () => {
  it('/live answers while the process runs', async () => {
    const { app } = createApp(testDeps());
    const res = await app.request('/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/ready is 200 with a reachable store, 503 when it is not or while draining', async () => {
    const deps = testDeps();
    const { app, lifecycle } = createApp(deps);
    expect((await app.request('/ready')).status).toBe(200);

    lifecycle.draining = true;
    const draining = await app.request('/ready');
    expect(draining.status).toBe(503);
    expect(await draining.json()).toEqual({ ready: false, store: 'ok', draining: true });
    lifecycle.draining = false;

    deps.store.ping = () => Promise.reject(new Error('down'));
    const down = await app.request('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, store: 'unreachable', draining: false });
    const health = await app.request('/health');
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', store: 'memory', storeStatus: 'unreachable' });
  });

  it('refuses new sockets on /ws while draining, with a sentence', async () => {
    const { app, lifecycle } = createApp(testDeps());
    lifecycle.draining = true;
    const res = await app.request('/ws', { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/reconnect/) });
  });

  it('/ready gives up on a store that hangs instead of hanging the health checker', async () => {
    const deps = testDeps();
    deps.store.ping = () => new Promise(() => undefined);
    const { app } = createApp(deps);
    expect((await app.request('/ready')).status).toBe(503);
  });

  it('/metrics serves Prometheus text, open by default', async () => {
    const deps = testDeps();
    deps.metrics.framesRelayed = 5;
    const res = await createApp(deps).app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toContain('ghostwire_frames_relayed_total 5\n');
  });

  it('/metrics needs the bearer token when METRICS_TOKEN is set', async () => {
    const token = 'm'.repeat(40);
    const { app } = createApp(testDeps({ METRICS_TOKEN: token }));
    const none = await app.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${'x'.repeat(40)}` } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
