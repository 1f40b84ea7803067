/** A shake: SHAKE_HITS swings past SHAKE_THRESHOLD within SHAKE_WINDOW_MS. */
export const SHAKE_THRESHOLD = 18; // m/s², gravity removed: walking stays under ~5, running peaks near 12–15.
export const SHAKE_HITS = 4;
export const SHAKE_WINDOW_MS = 1200;

/** Shake sensitivity levels (Privacy page) and the swing each needs, m/s²: "high" may fire while running. */
export const SHAKE_SENSITIVITY_THRESHOLDS = { low: 25, normal: SHAKE_THRESHOLD, high: 12 } as const;
export type ShakeSensitivity = keyof typeof SHAKE_SENSITIVITY_THRESHOLDS;
const GRAVITY = 9.81;

export interface Motion {
  acceleration?: { x: number | null; y: number | null; z: number | null } | null;
  accelerationIncludingGravity?: { x: number | null; y: number | null; z: number | null } | null;
}

const norm = (v: { x: number | null; y: number | null; z: number | null }) => Math.hypot(v.x ?? 0, v.y ?? 0, v.z ?? 0);

/** Acceleration magnitude without gravity, from whichever reading the device gives; null if it gives none. */
export function motionMagnitude(m: Motion): number | null {
  if (m.acceleration && m.acceleration.x !== null) return norm(m.acceleration);
  if (m.accelerationIncludingGravity && m.accelerationIncludingGravity.x !== null) return Math.abs(norm(m.accelerationIncludingGravity) - GRAVITY);
  return null;
}

/**
 * Counts swings: a sample over the threshold right after one under it. A
 * single bump rises once; a shake rises again on every reversal.
 */
export class ShakeDetector {
  private hits: number[] = [];
  private above = false;

  constructor(
    readonly threshold: number = SHAKE_THRESHOLD,
    private readonly needed = SHAKE_HITS,
    private readonly windowMs = SHAKE_WINDOW_MS,
  ) {}

  /** Feeds one reading taken at `t` ms; true when it completes a shake (then starts counting afresh). */
  feed(m: Motion, t: number): boolean {
    const mag = motionMagnitude(m);
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
