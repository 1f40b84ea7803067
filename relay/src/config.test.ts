import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('defaults to port 8080, all interfaces and the embedded store', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.redisUrl).toBeUndefined();
    expect(c.joinTokenSecretGenerated).toBe(true);
    expect(c.joinTokenSecret).toHaveLength(32);
    expect(c.metricsToken).toBeUndefined();
    expect(c.trustProxy).toBe(false);
    expect(c.tls).toBeUndefined();
    expect(c.shutdownTimeoutMs).toBe(5000);
  });

  it('draws a different random join-token secret per process start', () => {
    expect(loadConfig({}).joinTokenSecret.equals(loadConfig({}).joinTokenSecret)).toBe(false);
  });

  it('names the variable and what it expects when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: must be a port number/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: must be 0–65535/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must start with redis:\/\//);
    expect(() => loadConfig({ JOIN_TOKEN_SECRET: 'short' })).toThrow(/JOIN_TOKEN_SECRET: must be at least 32 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 32 characters/);
    expect(() => loadConfig({ TRUST_PROXY: 'ture' })).toThrow(/TRUST_PROXY: must be true or false/);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL: must be one of debug, info, warn, error, silent/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(/SHUTDOWN_TIMEOUT_MS: must be 0–60000/);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT: [^\n]+\n\s+LOG_LEVEL: /);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ METRICS_TOKEN: '', REDIS_URL: '' }).metricsToken).toBeUndefined();
  });

  it('reads a configured secret, origin list and proxy flag', () => {
    const c = loadConfig({ JOIN_TOKEN_SECRET: 's'.repeat(40), ALLOWED_ORIGINS: 'https://a.example, https://b.example', TRUST_PROXY: 'true' });
    expect(c.joinTokenSecretGenerated).toBe(false);
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.trustProxy).toBe(true);
  });

  it('reads secrets from *_FILE variables, the environment winning', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, `${'f'.repeat(40)}\n`);
    const c = loadConfig({ JOIN_TOKEN_SECRET_FILE: file, METRICS_TOKEN_FILE: file });
    expect(c.joinTokenSecret.toString()).toBe('f'.repeat(40));
    expect(c.metricsToken).toBe('f'.repeat(40));
    expect(loadConfig({ METRICS_TOKEN: 'e'.repeat(32), METRICS_TOKEN_FILE: file }).metricsToken).toBe('e'.repeat(32));
    expect(() => loadConfig({ METRICS_TOKEN_FILE: join(dir, 'missing') })).toThrow(/METRICS_TOKEN_FILE: cannot read the file/);
    writeFileSync(join(dir, 'short'), 'abc');
    expect(() => loadConfig({ JOIN_TOKEN_SECRET_FILE: join(dir, 'short') })).toThrow(/JOIN_TOKEN_SECRET_FILE: the secret in .* must be at least 32 characters/);
  });

  it('reads a TLS pair, and refuses half a pair or a file that is not PEM', () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const c = loadConfig({ TLS_CERT: cert, TLS_KEY: key });
    expect(c.tls?.cert.toString()).toContain('BEGIN CERTIFICATE');
    expect(() => loadConfig({ TLS_CERT: cert })).toThrow(/TLS_KEY: built-in HTTPS needs both TLS_CERT and TLS_KEY/);
    expect(() => loadConfig({ TLS_CERT: key, TLS_KEY: key })).toThrow(/TLS_CERT: .* is not a PEM certificate/);
    expect(() => loadConfig({ TLS_CERT: cert, TLS_KEY: cert })).toThrow(/TLS_KEY: .* is not an unencrypted PEM private key/);
  });
});

describe('direct-mode configuration', () => {
  it('reads STUN and TURN lists, and defaults the TTLs', () => {
    const c = loadConfig({ STUN_URLS: 'stun:a.example:3478', TURN_URLS: 'turn:t.example:3478, turns:t.example:5349', TURN_SECRET: 'x'.repeat(20) });
    expect(c.stunUrls).toEqual(['stun:a.example:3478']);
    expect(c.turnUrls).toEqual(['turn:t.example:3478', 'turns:t.example:5349']);
    expect(c.turnTtlSeconds).toBe(600);
    expect(c.signalTtlSeconds).toBe(900);
  });

  it('refuses TURN without a secret and URLs of the wrong scheme, naming the variable', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example:3478' })).toThrow(/TURN_SECRET: required/);
    expect(() => loadConfig({ STUN_URLS: 'http://x' })).toThrow(/STUN_URLS: each entry must start with stun:/);
    expect(() => loadConfig({ TURN_TTL_SECONDS: '5' })).toThrow(/TURN_TTL_SECONDS/);
  });
});
