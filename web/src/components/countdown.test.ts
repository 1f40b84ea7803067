import { describe, expect, it } from 'vitest';
import { formatRemaining } from './countdown.js';

describe('formatRemaining', () => {
  it('formats hours, minutes and seconds, never negative', () => {
    expect(formatRemaining(3_900_000)).toBe('1 h 05 min');
    expect(formatRemaining(249_000)).toBe('4 min 09 s');
    expect(formatRemaining(12_400)).toBe('12 s');
    expect(formatRemaining(-5)).toBe('0 s');
  });
});
