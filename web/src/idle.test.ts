import { describe, expect, it } from 'vitest';
import { IDLE_WARNING_MS, idleState } from './idle.js';

describe('idleState', () => {
  it('is fine until the warning window, warns inside it, and ends at expiry', () => {
    const exp = 1_000_000;
    expect(idleState(exp, exp - IDLE_WARNING_MS - 1)).toEqual({ kind: 'fine' });
    expect(idleState(exp, exp - IDLE_WARNING_MS)).toEqual({ kind: 'warn', msLeft: IDLE_WARNING_MS });
    expect(idleState(exp, exp - 1)).toEqual({ kind: 'warn', msLeft: 1 });
    expect(idleState(exp, exp)).toEqual({ kind: 'ended' });
  });
});
