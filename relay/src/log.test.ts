import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger, looksIdentifying, redact } from './log.js';

describe('redact', () => {
  it('keeps counts, flags and short event names', () => {
    expect(redact({ port: 8080, store: 'redis', ok: true, signal: 'SIGTERM', err: 'TypeError', code: 'room_not_found' })).toEqual({
      port: 8080,
      store: 'redis',
      ok: true,
      signal: 'SIGTERM',
      err: 'TypeError',
      code: 'room_not_found',
    });
  });

  it('drops fields whose names suggest secrets, content or identity', () => {
    const f = { token: 'a', roomId: 'b', ip: 'c', remoteAddr: 'd', payload: 'e', data: 'f', accessKey: 'g', member: 'h', origin: 'i', url: 'j', host: 'k' };
    expect(redact(f)).toEqual({});
  });

  it('drops values that look like addresses or random ids under any name', () => {
    const roomId = randomBytes(16).toString('base64url');
    expect(redact({ who: '203.0.113.7', v6: '2001:db8::1', mapped: '::ffff:127.0.0.1', id: roomId, hex: randomBytes(12).toString('hex') })).toEqual({});
  });

  it('drops long strings, odd characters, objects and non-finite numbers', () => {
    expect(redact({ a: 'x'.repeat(49), b: 'a"b', c: { nested: 1 }, d: [1], e: Number.NaN, f: 'line\nbreak' })).toEqual({});
  });
});

describe('looksIdentifying', () => {
  it('tells ids and addresses from words', () => {
    expect(looksIdentifying('relay_draining')).toBe(false);
    expect(looksIdentifying('internationalization')).toBe(false);
    expect(looksIdentifying('no join-token secret configured; using a random one')).toBe(false);
    expect(looksIdentifying('set JOIN_TOKEN_SECRET')).toBe(false);
    expect(looksIdentifying(randomBytes(12).toString('hex'))).toBe(true);
    expect(looksIdentifying(`joined ${randomBytes(16).toString('base64url')}`)).toBe(true);
    expect(looksIdentifying('from 10.1.2.3')).toBe(true);
    expect(looksIdentifying('from fe80::1')).toBe(true);
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line, at the level and above', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.debug('hidden');
    log.info('listening', { port: 1 });
    log.error('boom', { err: 'Error' });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', msg: 'listening', port: 1 });
    expect(typeof first.t).toBe('string');
  });

  it('cuts a message that interpolates an id or address, and cannot be tricked into overwriting its own fields', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    log.info(`joined ${randomBytes(16).toString('base64url')}`);
    log.info('ok', { level: 'error', msg: 'forged', t: 'then' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: '[redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', msg: 'ok' });
  });

  it('writes nothing when silent', () => {
    const lines: string[] = [];
    const log = createLogger('silent', (l) => lines.push(l));
    log.error('x');
    expect(lines).toEqual([]);
  });
});
