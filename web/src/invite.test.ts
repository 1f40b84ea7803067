import { describe, expect, it } from 'vitest';
import { parseInvite } from './invite.js';

const origin = 'https://ghost.example';
const secret = 'A'.repeat(43);

describe('parseInvite', () => {
  it('accepts room and direct links to this origin', () => {
    expect(parseInvite(`${origin}/r#${secret}`, origin)).toEqual({ kind: 'room', secret });
    expect(parseInvite(`  ${origin}/d#${secret}\n`, origin)).toEqual({ kind: 'direct', secret });
  });

  it('refuses other hosts, other paths, missing or odd secrets, and non-URLs', () => {
    expect(parseInvite(`https://evil.example/r#${secret}`, origin)).toBeNull();
    expect(parseInvite(`${origin}/privacy#${secret}`, origin)).toBeNull();
    expect(parseInvite(`${origin}/r`, origin)).toBeNull();
    expect(parseInvite(`${origin}/r#<script>`, origin)).toBeNull();
    expect(parseInvite('hello', origin)).toBeNull();
  });
});
