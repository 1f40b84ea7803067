import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JoinTokens } from './tokens.js';

describe('JoinTokens', () => {
  const secret = randomBytes(32);

  it('verifies a token it minted, for the same epoch, with room and ghost', () => {
    const t = new JoinTokens(secret);
    const { token } = t.mint('room-a', 'ghost-1', 'epoch-1');
    expect(t.verify(token, 'epoch-1')).toMatchObject({ r: 'room-a', g: 'ghost-1' });
  });

  it('rejects a token from another epoch (a restarted store)', () => {
    const t = new JoinTokens(secret);
    expect(t.verify(t.mint('room-a', 'g', 'epoch-1').token, 'epoch-2')).toBeNull();
  });

  it('rejects an expired token', () => {
    let now = 1_000_000;
    const t = new JoinTokens(secret, () => now);
    const { token } = t.mint('room-a', 'g', 'e');
    now += 61_000;
    expect(t.verify(token, 'e')).toBeNull();
  });

  it('rejects a token signed with another key or with edited claims', () => {
    const t = new JoinTokens(secret);
    const other = new JoinTokens(randomBytes(32));
    const { token } = other.mint('room-a', 'g', 'e');
    expect(t.verify(token, 'e')).toBeNull();
    const [body, sig] = t.mint('room-a', 'g', 'e').token.split('.');
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), g: 'ghost-2' })).toString('base64url');
    expect(t.verify(`${edited}.${sig}`, 'e')).toBeNull();
    expect(t.verify('garbage', 'e')).toBeNull();
    expect(t.verify('a.b.c', 'e')).toBeNull();
  });

  it('gives every token its own JTI', () => {
    const t = new JoinTokens(secret);
    expect(t.verify(t.mint('r', 'g', 'e').token, 'e')?.j).not.toBe(t.verify(t.mint('r', 'g', 'e').token, 'e')?.j);
  });

  it('mints invite tickets that expire in 30 s and never pass as join tokens', () => {
    let now = 1_000_000;
    const t = new JoinTokens(secret, () => now);
    const { ticket, expiresAt } = t.mintInvite('room-a', 'e');
    expect(expiresAt).toBe(now + 30_000);
    expect(t.verifyInvite(ticket, 'room-a', 'e')).toMatchObject({ r: 'room-a' });
    expect(t.verifyInvite(ticket, 'room-b', 'e')).toBeNull();
    expect(t.verify(ticket, 'e')).toBeNull();
    expect(t.verifyInvite(t.mint('room-a', 'g', 'e').token, 'room-a', 'e')).toBeNull();
    now += 31_000;
    expect(t.verifyInvite(ticket, 'room-a', 'e')).toBeNull();
  });
});
