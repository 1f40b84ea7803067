import { describe, expect, it } from 'vitest';
import { createObjectUrl, registerWipe, revokeObjectUrl, wipeAll, wipeCounts, zero } from './wipe.js';

function fakeUrl() {
  let n = 0;
  const revoked: string[] = [];
  return { createObjectURL: () => `blob:test/${n++}`, revokeObjectURL: (u: string) => void revoked.push(u), revoked };
}

describe('wipe registry', () => {
  it('runs every wiper even when one throws, then forgets them', () => {
    const ran: string[] = [];
    registerWipe(() => ran.push('a'));
    registerWipe(() => {
      throw new Error('boom');
    });
    registerWipe(() => ran.push('c'));
    expect(wipeAll(fakeUrl())).toBe(3);
    expect(ran).toEqual(['a', 'c']);
    expect(wipeAll(fakeUrl())).toBe(0);
  });

  it('does not run a wiper that unregistered itself', () => {
    let ran = false;
    const off = registerWipe(() => (ran = true));
    off();
    wipeAll(fakeUrl());
    expect(ran).toBe(false);
  });

  it('revokes every blob URL it handed out, except those already revoked', () => {
    const url = fakeUrl();
    const a = createObjectUrl(new Blob(['a']), url);
    const b = createObjectUrl(new Blob(['b']), url);
    revokeObjectUrl(a, url);
    expect(wipeCounts().objectUrls).toBe(1);
    wipeAll(url);
    expect(url.revoked).toEqual([a, b]);
    expect(wipeCounts()).toEqual({ holders: 0, objectUrls: 0 });
  });

  it('zeroes byte arrays and skips missing ones', () => {
    const k = new Uint8Array([1, 2, 3]);
    zero(k, null, undefined);
    expect([...k]).toEqual([0, 0, 0]);
  });
});
