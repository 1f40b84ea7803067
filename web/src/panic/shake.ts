/** A shake: SHAKE_HITS swings past SHAKE_THRESHOLD within SHAKE_WINDOW_MS. */
export const SHAKE_THRESHOLD = 18; // m/s², gravity removed: walking stays under ~5, running peaks near 12–15.
export const SHAKE_HITS = 4;
export const SHAKE_WINDOW_MS = 1200;

/** Shake sensitivity levels (Privacy page) and the swing each needs, m/s²: "high" may fire while running. */
export const SHAKE_SENSITIVITY_THRESHOLDS = { low: 25, normal: SHAKE_THRESHOLD, high: 12 } as const;
export type ShakeSensitivity = keyof typeof SHAKE_SENSITIVITY_THRESHOLDS;
/**
 * How slowly the gravity estimate follows readings that include gravity (a
 * low-pass filter's time constant): far slower than a shake (2–5 Hz), fast
 * enough to follow a phone being turned over.
 */
export const GRAVITY_TIME_CONSTANT_MS = 500;

export interface Motion {
  acceleration?: { x: number | null; y: number | null; z: number | null } | null;
  accelerationIncludingGravity?: { x: number | null; y: number | null; z: number | null } | null;
}

const norm = (v: { x: number | null; y: number | null; z: number | null }) => Math.hypot(v.x ?? 0, v.y ?? 0, v.z ?? 0);

/** Acceleration magnitude from a device that removes gravity itself; null if it does not. */
export function motionMagnitude(m: Motion): number | null {
  if (m.acceleration && m.acceleration.x !== null) return norm(m.acceleration);
  return null;
}

/**
 * Gravity estimated from readings that include it, by a low-pass filter per
 * axis; what is left is the hand's motion. Subtracting 9.81 from the
 * magnitude instead is blind to sideways swings (|(25, 0, 9.81)| − 9.81 is
 * only 17), so a shake counted only in some directions.
 */
export class GravityFilter {
  private g: [number, number, number] | null = null;
  private last = 0;

  constructor(private readonly tauMs = GRAVITY_TIME_CONSTANT_MS) {}

  /** Feeds one reading at `t` ms; returns the magnitude of the reading minus the gravity estimate. */
  linear(v: { x: number | null; y: number | null; z: number | null }, t: number): number {
    const a: [number, number, number] = [v.x ?? 0, v.y ?? 0, v.z ?? 0];
    if (!this.g) {
      this.g = a;
      this.last = t;
      return 0;
    }
    const dt = Math.min(Math.max(t - this.last, 0), 1000);
    this.last = t;
    const keep = Math.exp(-dt / this.tauMs);
    const g = this.g.map((gi, i) => gi * keep + a[i]! * (1 - keep)) as [number, number, number];
    this.g = g;
    return Math.hypot(a[0] - g[0], a[1] - g[1], a[2] - g[2]);
  }
}

/**
 * Counts swings: a sample over the threshold right after one under it. A
 * single bump rises once; a shake rises again on every reversal.
 */
export class ShakeDetector {
  private hits: number[] = [];
  private above = false;
  private readonly gravity = new GravityFilter();

  constructor(
    readonly threshold: number = SHAKE_THRESHOLD,
    private readonly needed = SHAKE_HITS,
    private readonly windowMs = SHAKE_WINDOW_MS,
  ) {}

  /** Feeds one reading taken at `t` ms; true when it completes a shake (then starts counting afresh). */
  feed(m: Motion, t: number): boolean {
    const withGravity = m.accelerationIncludingGravity;
    const mag = motionMagnitude(m) ?? (withGravity && withGravity.x !== null ? this.gravity.linear(withGravity, t) : null);
    if (mag === null) return false;
    const over = mag >= this.threshold;
    const rising = over && !this.above;
    this.above = over;
    if (!rising) return false;
    this.hits = [...this.hits.filter((h) => t - h <= this.windowMs), t];
    if (this.hits.length < this.needed) return false;
    this.hits = [];
    return true;
  }
}

type MotionPermission = 'granted' | 'denied' | 'not-needed';
type WithPermission = { requestPermission?: () => Promise<'granted' | 'denied'> };

/** Whether this browser (iOS Safari) asks before giving motion readings; the ask must come from a tap. */
export function shakeNeedsPermission(): boolean {
  return typeof DeviceMotionEvent !== 'undefined' && typeof (DeviceMotionEvent as unknown as WithPermission).requestPermission === 'function';
}

/** Asks for motion readings where the browser requires it. Call it from a click handler, or iOS refuses. */
export async function requestShakePermission(): Promise<MotionPermission> {
  if (!shakeNeedsPermission()) return 'not-needed';
  try {
    return await (DeviceMotionEvent as unknown as Required<WithPermission>).requestPermission();
  } catch {
    return 'denied';
  }
}
