import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JoinTokens } from './tokens.js';

describe('JoinTokens', () => {
  const secret = randomBytes(32);

  it('verifies a token it minted, for the same epoch', () => {
    const t = new JoinTokens(secret);
    const { token } = t.mint('room-a', 'epoch-1');
    expect(t.verify(token, 'epoch-1')?.r).toBe('room-a');
  });

  it('rejects a token from another epoch (a restarted store)', () => {
    const t = new JoinTokens(secret);
    expect(t.verify(t.mint('room-a', 'epoch-1').token, 'epoch-2')).toBeNull();
  });

  it('rejects an expired token', () => {
    let now = 1_000_000;
    const t = new JoinTokens(secret, () => now);
    const { token } = t.mint('room-a', 'e');
    now += 61_000;
    expect(t.verify(token, 'e')).toBeNull();
  });

  it('rejects a token signed with another key or with edited claims', () => {
    const t = new JoinTokens(secret);
    const other = new JoinTokens(randomBytes(32));
    const { token } = other.mint('room-a', 'e');
    expect(t.verify(token, 'e')).toBeNull();
    const [body, sig] = t.mint('room-a', 'e').token.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), r: 'room-b' })).toString('base64url');
    expect(t.verify(`${edited}.${sig}`, 'e')).toBeNull();
    expect(t.verify('garbage', 'e')).toBeNull();
    expect(t.verify('a.b.c', 'e')).toBeNull();
  });

  it('gives every token its own JTI', () => {
    const t = new JoinTokens(secret);
    expect(t.verify(t.mint('r', 'e').token, 'e')?.j).not.toBe(t.verify(t.mint('r', 'e').token, 'e')?.j);
  });
});
