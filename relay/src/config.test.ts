import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to port 8080, all interfaces and the embedded store', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(c.redisUrl).toBeUndefined();
    expect(c.joinTokenSecretGenerated).toBe(true);
    expect(c.joinTokenSecret).toHaveLength(32);
  });

  it('names the variable and what it expects when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must start with redis:\/\//);
    expect(() => loadConfig({ JOIN_TOKEN_SECRET: 'short' })).toThrow(/JOIN_TOKEN_SECRET: must be at least 32 characters/);
  });

  it('reads a configured secret and origin list', () => {
    const c = loadConfig({ JOIN_TOKEN_SECRET: 's'.repeat(40), ALLOWED_ORIGINS: 'https://a.example, https://b.example' });
    expect(c.joinTokenSecretGenerated).toBe(false);
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
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
