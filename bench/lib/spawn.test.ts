import { describe, expect, it } from 'vitest';
import { lastMemoryUsage } from './spawn.js';

const usage = (heapUsed: number) => ({ rss: 1, heapTotal: 2, heapUsed, external: 3, arrayBuffers: 4 });
const line = (heapUsed: number) => JSON.stringify({ benchMemoryUsage: usage(heapUsed) });

describe('lastMemoryUsage', () => {
  it('reads the last reading from output kept as lines (the relay) or as raw chunks (the bench servers)', () => {
    expect(lastMemoryUsage(['{"port":1}', line(10), 'listening', line(20)])?.heapUsed).toBe(20);
    expect(lastMemoryUsage([`{"port":1}\n${line(10)}\n`, `${line(20)}\nother\n`])?.heapUsed).toBe(20);
  });

  it('has none before the first forced GC, and skips a reading still being written', () => {
    expect(lastMemoryUsage(['{"port":1}\n'])).toBeUndefined();
    expect(lastMemoryUsage([`${line(10)}\n`, line(20).slice(0, 25)])).toBeUndefined();
  });
});
