import { describe, expect, it } from 'vitest';
import { checkTargets, medians, pairedRatios, ratios, type TargetResult } from './report.js';
import { median, newHistogram, percentiles, quantile, ratio } from './stats.js';

// The bench's own arithmetic: these are the numbers BENCHMARKS.md quotes, so they must be right.
describe('bench stats', () => {
  it('takes medians of odd and even runs and skips missing repetitions', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, 5, undefined, Number.NaN])).toBe(5);
    expect(median([])).toBeNull();
  });

  it('gives ratios only when both sides exist', () => {
    expect(ratio(8, 10)).toBe(0.8);
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(5, 0)).toBeNull();
  });

  it('reads percentiles from the HDR histogram in milliseconds', () => {
    const h = newHistogram();
    for (let us = 1; us <= 1000; us++) h.recordValue(us * 10); // 10 µs … 10 ms
    const p = percentiles(h);
    expect(p.count).toBe(1000);
    expect(p.p50Ms).toBeCloseTo(5, 1);
    expect(p.p99Ms).toBeCloseTo(9.9, 1);
    expect(p.maxMs).toBeCloseTo(10, 1);
  });

  it('takes nearest-rank quantiles of small samples', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(xs, 0.5)).toBe(50);
    expect(quantile(xs, 0.95)).toBe(95);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe('bench verdicts', () => {
  const target = (key: string, cpu: Array<number | null>): TargetResult => {
    const reps = cpu.map((c) => ({ 'rate.100.cpu': c }));
    return { key, label: key, notes: {}, reps, errors: {}, median: medians(reps), vsWs: {} };
  };

  it('pairs each repetition with the same repetition of the baseline', () => {
    const ws = target('ws', [0.25, 0.5, 0.25]);
    const gw = target('ghostwire', [0.5, 0.5, null]);
    expect(pairedRatios(gw, ws, 'rate.100.cpu')).toEqual([2, 1]);
    expect(pairedRatios(gw, undefined, 'rate.100.cpu')).toEqual([]);
  });

  it('shows each repetition beside the verdict on the medians, which stays the judge', () => {
    const ws = target('ws', [0.25, 0.5, 0.25]);
    const gw = target('ghostwire', [0.375, 0.5, 0.25]);
    gw.vsWs = ratios(gw.median, ws.median);
    const c = checkTargets([ws, gw], [100]).find((t) => t.target.startsWith('room 100 @20k/s: server CPU'))!;
    expect(c.met).toBe(false);
    expect(c.measured).toBe('1.500× (each repetition: 1.50, 1.00, 1.00)');
  });
});
