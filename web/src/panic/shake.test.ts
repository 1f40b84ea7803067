import { describe, expect, it } from 'vitest';
import { motionMagnitude, ShakeDetector, SHAKE_HITS, SHAKE_SENSITIVITY_THRESHOLDS, SHAKE_THRESHOLD, SHAKE_WINDOW_MS } from './shake.js';

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
    expect(motionMagnitude({ accelerationIncludingGravity: { x: 0, y: 0, z: 9.81 } })).toBeCloseTo(0);
    expect(motionMagnitude({ acceleration: { x: 3, y: 4, z: 0 } })).toBe(5);
    expect(motionMagnitude({ acceleration: { x: null, y: null, z: null }, accelerationIncludingGravity: null })).toBeNull();
    expect(new ShakeDetector().feed({}, 0)).toBe(false);
  });
});
