import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { cacheControl, CONTENT_SECURITY_POLICY, HSTS, overHttps, PERMISSIONS_POLICY, upgradeHeaderLines } from './headers.js';
import { testDeps } from './test-deps.js';

/** The CSP as a map from directive to its sources. */
const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows only this origin for script, style and connections, and no framing', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|https?:|wss?:/);
  });
});

describe('PERMISSIONS_POLICY', () => {
  it('allows the camera and motion sensors for this origin only, and nothing else', () => {
    const allowed = PERMISSIONS_POLICY.split(', ').filter((p) => !p.endsWith('=()'));
    expect(allowed.sort()).toEqual(['accelerometer=(self)', 'camera=(self)', 'gyroscope=(self)']);
    expect(PERMISSIONS_POLICY).toContain('microphone=()');
    expect(PERMISSIONS_POLICY).toContain('geolocation=()');
  });
});

describe('overHttps', () => {
  it('trusts X-Forwarded-Proto only when TRUST_PROXY says so', () => {
    expect(overHttps({ tls: false, trustProxy: false }, 'https')).toBe(false);
    expect(overHttps({ tls: false, trustProxy: true }, 'https')).toBe(true);
    expect(overHttps({ tls: false, trustProxy: true }, 'HTTPS, http')).toBe(true);
    expect(overHttps({ tls: false, trustProxy: true }, 'http, https')).toBe(false);
    expect(overHttps({ tls: false, trustProxy: true }, undefined)).toBe(false);
    expect(overHttps({ tls: true, trustProxy: false }, undefined)).toBe(true);
  });
});

describe('cacheControl', () => {
  it('caches hashed assets forever and nothing else', () => {
    expect(cacheControl('/assets/index-DxY8a_9z.js', 'text/javascript')).toBe('public, max-age=31536000, immutable');
    expect(cacheControl('/assets/index.js', 'text/javascript')).toBe('no-store');
    expect(cacheControl('/sw.js', 'text/javascript')).toBe('no-store');
    expect(cacheControl('/', 'text/html')).toBe('no-store');
    expect(cacheControl('/api/rooms', 'application/json')).toBe('no-store');
  });
});

describe('upgradeHeaderLines', () => {
  it('carries the same policy as every other response, HSTS only over HTTPS', () => {
    const plain = upgradeHeaderLines({ tls: false, trustProxy: false }, 'https');
    expect(plain).toContain(`Content-Security-Policy: ${CONTENT_SECURITY_POLICY}`);
    expect(plain).toContain('X-Content-Type-Options: nosniff');
    expect(plain.some((l) => l.startsWith('Strict-Transport-Security'))).toBe(false);
    expect(upgradeHeaderLines({ tls: false, trustProxy: true }, 'https')).toContain(`Strict-Transport-Security: ${HSTS}`);
  });
});

describe('securityHeaders on the app', () => {
  it('puts every header on API answers, errors included, and HSTS only when the proxy is trusted and says https', async () => {
    const { app } = createApp(testDeps({ TRUST_PROXY: 'true' }));
    for (const path of ['/live', '/api/nope']) {
      const res = await app.request(path, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toBe(PERMISSIONS_POLICY);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('strict-transport-security')).toBe(HSTS);
    }
    expect((await app.request('/live', { headers: { 'x-forwarded-proto': 'http' } })).headers.get('strict-transport-security')).toBeNull();
    const untrusted = createApp(testDeps()).app;
    expect((await untrusted.request('/live', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
  });
});
