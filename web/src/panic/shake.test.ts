import { describe, expect, it } from 'vitest';
import type { Motion } from './shake.js';
import { GravityFilter, motionMagnitude, ShakeDetector, SHAKE_HITS, SHAKE_SENSITIVITY_THRESHOLDS, SHAKE_THRESHOLD, SHAKE_WINDOW_MS } from './shake.js';

const hi = { acceleration: { x: SHAKE_THRESHOLD + 5, y: 0, z: 0 } };
const lo = { acceleration: { x: 1, y: 0, z: 0 } };

describe('ShakeDetector', () => {
  it('fires after SHAKE_HITS swings inside the window', () => {
    const d = new ShakeDetector();
    const fired: boolean[] = [];
    for (let i = 0; i < SHAKE_HITS; i++) {
      fired.push(d.feed(hi, i * 150), d.feed(lo, i * 150 + 75));
    }
    expect(fired.filter(Boolean)).toHaveLength(1);
    expect(fired[(SHAKE_HITS - 1) * 2]).toBe(true);
  });

  it('a higher sensitivity fires on a lighter shake that the normal level ignores', () => {
    const light = { acceleration: { x: (SHAKE_SENSITIVITY_THRESHOLDS.high + SHAKE_THRESHOLD) / 2, y: 0, z: 0 } };
    const shakeWith = (d: ShakeDetector) => Array.from({ length: SHAKE_HITS }, (_, i) => [d.feed(light, i * 150), d.feed(lo, i * 150 + 75)]).flat().some(Boolean);
    expect(shakeWith(new ShakeDetector(SHAKE_SENSITIVITY_THRESHOLDS.normal))).toBe(false);
    expect(shakeWith(new ShakeDetector(SHAKE_SENSITIVITY_THRESHOLDS.high))).toBe(true);
  });

  it('counts a long push over the threshold once, not once per sample', () => {
    const d = new ShakeDetector();
    for (let t = 0; t < 1000; t += 16) expect(d.feed(hi, t)).toBe(false);
  });

  it('forgets swings older than the window', () => {
    const d = new ShakeDetector();
    let t = 0;
    for (let i = 0; i < SHAKE_HITS - 1; i++, t += 100) {
      d.feed(hi, t);
      d.feed(lo, t + 50);
    }
    t += SHAKE_WINDOW_MS;
    expect(d.feed(hi, t)).toBe(false);
  });

  it('takes gravity out of readings that include it, and ignores empty ones', () => {
    const f = new GravityFilter();
    for (let t = 0; t < 2000; t += 16) expect(f.linear({ x: 0, y: 0, z: 9.81 }, t)).toBeCloseTo(0);
    expect(motionMagnitude({ acceleration: { x: 3, y: 4, z: 0 } })).toBe(5);
    expect(motionMagnitude({ acceleration: { x: null, y: null, z: null }, accelerationIncludingGravity: null })).toBeNull();
    expect(new ShakeDetector().feed({}, 0)).toBe(false);
  });

  /** A phone held upright (gravity on z, or on y) shaken sideways along x: a sine at 2.5 Hz, sampled at 60 Hz, after a second at rest. */
  const sideways = (peak: number, gravityAxis: 'y' | 'z', swings: number) => {
    const out: Array<{ m: Motion; t: number }> = [];
    const g = { x: 0, y: gravityAxis === 'y' ? 9.81 : 0, z: gravityAxis === 'z' ? 9.81 : 0 };
    let t = 0;
    for (; t < 1000; t += 16) out.push({ m: { accelerationIncludingGravity: g }, t });
    const start = t;
    // Two swings (one each way) per cycle.
    for (; t < start + (swings / 2) * 400; t += 16) out.push({ m: { accelerationIncludingGravity: { ...g, x: peak * Math.sin((2 * Math.PI * (t - start)) / 400) } }, t });
    return out;
  };

  it('fires on four sideways swings at 25 m/s² from readings that include gravity, in either orientation', () => {
    for (const axis of ['z', 'y'] as const) {
      const d = new ShakeDetector();
      expect(sideways(25, axis, 4).some(({ m, t }) => d.feed(m, t))).toBe(true);
    }
    // What subtracting 9.81 from the magnitude made of the same swings: under the threshold.
    expect(Math.hypot(25, 9.81) - 9.81).toBeLessThan(SHAKE_THRESHOLD);
  });

  it('does not fire on a phone turned over slowly, nor on gentle sideways motion', () => {
    const d = new ShakeDetector();
    let fired = false;
    for (let t = 0; t < 3000; t += 16) {
      const a = (Math.PI * t) / 3000;
      fired ||= d.feed({ accelerationIncludingGravity: { x: 0, y: 9.81 * Math.sin(a), z: 9.81 * Math.cos(a) } }, t);
    }
    const gentle = new ShakeDetector();
    expect(fired || sideways(8, 'z', 8).some(({ m, t }) => gentle.feed(m, t))).toBe(false);
  });
});
