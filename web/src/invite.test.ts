import { describe, expect, it } from 'vitest';
import { parseInvite } from './invite.js';

const origin = 'https://ghost.example';
const secret = 'A'.repeat(43);

describe('parseInvite', () => {
  it('accepts room and direct links to this origin', () => {
    expect(parseInvite(`${origin}/r#${secret}`, origin)).toEqual({ kind: 'room', secret });
    expect(parseInvite(`  ${origin}/d#${secret}\n`, origin)).toEqual({ kind: 'direct', secret });
  });

  it('accepts a rotating room invite (a ticket after the secret) but not a ticket on a direct link', () => {
    const withTicket = `${secret}.eyJrIjoiaW52aXRlIn0.c2lnbmF0dXJl`;
    expect(parseInvite(`${origin}/r#${withTicket}`, origin)).toEqual({ kind: 'room', secret: withTicket });
    expect(parseInvite(`${origin}/d#${withTicket}`, origin)).toBeNull();
    expect(parseInvite(`${origin}/r#${secret}.broken`, origin)).toBeNull();
  });

  it('refuses other hosts, other paths, missing or odd secrets, and non-URLs', () => {
    expect(parseInvite(`https://evil.example/r#${secret}`, origin)).toBeNull();
    expect(parseInvite(`${origin}/privacy#${secret}`, origin)).toBeNull();
    expect(parseInvite(`${origin}/r`, origin)).toBeNull();
    expect(parseInvite(`${origin}/r#<script>`, origin)).toBeNull();
    expect(parseInvite('hello', origin)).toBeNull();
  });
});
