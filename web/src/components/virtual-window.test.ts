import { describe, expect, it } from 'vitest';
import { computeWindow } from './virtual-window.js';

describe('computeWindow', () => {
  const rows = Array.from({ length: 1000 }, () => 50);

  it('renders only the rows near the viewport and pads the rest', () => {
    const w = computeWindow(rows, 10_000, 500, 50, 100);
    expect(w.start).toBe(198);
    expect(w.end).toBe(212);
    expect(w.padTop).toBe(198 * 50);
    expect(w.padTop + (w.end - w.start) * 50 + w.padBottom).toBe(50_000);
  });

  it('uses the estimate for unmeasured rows and clamps at both ends', () => {
    const top = computeWindow(new Array(100).fill(undefined), 0, 400, 40, 0);
    expect(top).toEqual({ start: 0, end: 10, padTop: 0, padBottom: 90 * 40 });
    const bottom = computeWindow(rows.slice(0, 10), 10_000, 400, 50, 0);
    expect(bottom.start).toBe(10);
    expect(bottom.end).toBe(10);
  });
});
