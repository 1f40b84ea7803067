import { describe, expect, it } from 'vitest';
import { LookalikeWatch } from './lookalike-watch.js';
import { lookalikeKey } from '../../../protocol/src/crypto/fingerprint.js';

describe('LookalikeWatch (keys whose handles look alike)', () => {
  it('reports a second key under one skeleton once, with every fingerprint and handle under it', () => {
    const w = new LookalikeWatch();
    const calls: [string[], string[]][] = [];
    const note = (fingerprint: string, handle: string) => w.note({ fingerprint, handle, colour: '#000' } as never, (f, h) => calls.push([[...f], h]));
    expect(note('k1', 'Ghost#K7QM-2XRP')).toBe(false);
    // The same key seen again is no look-alike.
    expect(note('k1', 'Ghost#K7QM-2XRP')).toBe(false);
    // Same first group: people read a handle from the start.
    const spoof = 'Ghost#K7QM-9WTD';
    expect(lookalikeKey(spoof)).toBe(lookalikeKey('Ghost#K7QM-2XRP'));
    expect(note('k3', 'Ghost#H4NV-2XRP')).toBe(false);
    expect(note('k2', spoof)).toBe(true);
    expect(calls).toEqual([[['k1', 'k2'], ['Ghost#K7QM-2XRP', spoof]]]);
    // Both stay marked, and the original is reported as a look-alike from now on, without a second alert.
    expect(note('k1', 'Ghost#K7QM-2XRP')).toBe(true);
    expect(calls).toHaveLength(1);
    w.clear();
    expect(note('k2', spoof)).toBe(false);
  });
});
