import { describe, expect, it } from 'vitest';
import { takeFragment } from './fragment.js';

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
