import { describe, expect, it } from 'vitest';
import { parseRoomFragment, roomFragment, takeFragment } from './fragment.js';

function fakeLocation(href: string) {
  const url = new URL(href);
  const calls: string[] = [];
  const loc = { hash: url.hash, pathname: url.pathname, search: url.search } as Location;
  const hist = { replaceState: (_s: unknown, _t: string, u: string) => calls.push(u) } as unknown as History;
  return { loc, hist, calls };
}

describe('takeFragment', () => {
  it('returns the secret and replaces the history entry with the URL minus its fragment', () => {
    const { loc, hist, calls } = fakeLocation('https://h.example/r?x=1#s3cret');
    expect(takeFragment(loc, hist)).toBe('s3cret');
    expect(calls).toEqual(['/r?x=1']);
  });

  it('leaves history alone when there is no fragment', () => {
    const { loc, hist, calls } = fakeLocation('https://h.example/');
    expect(takeFragment(loc, hist)).toBeNull();
    expect(calls).toEqual([]);
  });
});

describe('room fragments', () => {
  const secret = 'A'.repeat(43);
  const ticket = 'eyJrIjoiaW52aXRlIn0.c2lnbmF0dXJlLW9mLXRoZS10aWNrZXQ';

  it('reads a plain invite (old links without a ticket still work)', () => {
    expect(parseRoomFragment(secret)).toEqual({ secret });
  });

  it('reads the ticket after the first dot, and writes it back the same way', () => {
    expect(parseRoomFragment(`${secret}.${ticket}`)).toEqual({ secret, ticket });
    expect(roomFragment({ secret, ticket })).toBe(`${secret}.${ticket}`);
    expect(roomFragment({ secret })).toBe(secret);
    expect(parseRoomFragment(roomFragment({ secret, ticket }))).toEqual({ secret, ticket });
  });

  it('marks an MLS room with ~m at the end, with or without a ticket, and refuses a doubled or misplaced mark', () => {
    expect(roomFragment({ secret, mls: true })).toBe(`${secret}~m`);
    expect(parseRoomFragment(`${secret}~m`)).toEqual({ secret, mls: true });
    expect(parseRoomFragment(roomFragment({ secret, ticket, mls: true }))).toEqual({ secret, ticket, mls: true });
    expect(parseRoomFragment(`${secret}~m~m`)).toBeNull();
    expect(parseRoomFragment(`${secret}~m.${ticket}`)).toBeNull();
    expect(parseRoomFragment(`${secret}~x`)).toBeNull();
  });

  it('refuses a damaged secret or ticket', () => {
    expect(parseRoomFragment('')).toBeNull();
    expect(parseRoomFragment('short')).toBeNull();
    expect(parseRoomFragment(`${secret}.`)).toBeNull();
    expect(parseRoomFragment(`${secret}.nodotinthisticketatall`)).toBeNull();
    expect(parseRoomFragment(`${secret}.a.b`)).toBeNull();
    expect(parseRoomFragment(`${secret}.${ticket}.extra`)).toBeNull();
    expect(parseRoomFragment(`${secret}.${'a'.repeat(200)}.${'b'.repeat(100)}`)).toBeNull();
    expect(parseRoomFragment(`${secret}.<script>.alert`)).toBeNull();
  });
});
