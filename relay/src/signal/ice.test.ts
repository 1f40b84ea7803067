import { describe, expect, it } from 'vitest';
import { iceResponseSchema } from '../../../protocol/src/messages/signal-ice.js';
import { createApp } from '../app.js';
import { testDeps } from '../test-deps.js';
import { turnCredential } from './ice.js';

describe('TURN REST credentials', () => {
  it('matches a hand-computed HMAC-SHA1 (coturn use-auth-secret)', () => {
    // echo -n '1700000600:abc' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
    const c = turnCredential('north-wind-secret', 600, 1_700_000_000_000, () => 'abc');
    expect(c.username).toBe('1700000600:abc');
    expect(c.credential).toBe('29s2mRD5PRggiLpTpnsDW+MPr9U=');
    expect(c.expiresAt).toBe(1_700_000_600_000);
  });

  it('draws a fresh random username part each time', () => {
    const a = turnCredential('north-wind-secret', 600, 0);
    const b = turnCredential('north-wind-secret', 600, 0);
    expect(a.username).not.toBe(b.username);
    expect(a.username).toMatch(/^600:[\w-]{12}$/);
  });
});

describe('GET /api/ice', () => {
  it('returns STUN and TURN with short-lived credentials when configured', async () => {
    const deps = testDeps({ STUN_URLS: 'stun:stun.example.org:3478', TURN_URLS: 'turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349', TURN_SECRET: 's'.repeat(24), TURN_TTL_SECONDS: '120' });
    deps.now = () => 1_000_000;
    const { app } = createApp(deps);
    const res = await app.request('/api/ice');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = iceResponseSchema.parse(await res.json());
    expect(body.turn).toBe(true);
    expect(body.expiresAt).toBe(1_120_000);
    expect(body.iceServers[0]).toEqual({ urls: ['stun:stun.example.org:3478'] });
    expect(body.iceServers[1]?.urls).toHaveLength(2);
    expect(body.iceServers[1]?.username).toMatch(/^1120:/);
  });

  it('returns no servers and turn: false by default', async () => {
    const { app } = createApp(testDeps());
    expect(await (await app.request('/api/ice')).json()).toEqual({ iceServers: [], turn: false, expiresAt: null });
  });
});
