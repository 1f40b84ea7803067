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
