import { describe, expect, it } from 'vitest';
import { registerWipe, wipeAll, zero } from './wipe.js';

describe('wipe registry', () => {
  it('runs every wiper even when one throws, then forgets them', () => {
    const ran: string[] = [];
    registerWipe(() => ran.push('a'));
    registerWipe(() => {
      throw new Error('boom');
    });
    registerWipe(() => ran.push('c'));
    expect(wipeAll()).toBe(3);
    expect(ran).toEqual(['a', 'c']);
    expect(wipeAll()).toBe(0);
  });

  it('does not run a wiper that unregistered itself', () => {
    let ran = false;
    const off = registerWipe(() => (ran = true));
    off();
    wipeAll();
    expect(ran).toBe(false);
  });

  it('zeroes byte arrays and skips missing ones', () => {
    const k = new Uint8Array([1, 2, 3]);
    zero(k, null, undefined);
    expect([...k]).toEqual([0, 0, 0]);
  });
});
