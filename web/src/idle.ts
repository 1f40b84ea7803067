/** Warn this long before the ghost's idle session would end. */
export const IDLE_WARNING_MS = 2 * 60 * 1000;

/** Where the ghost's idle timer stands: fine, about to end, or ended. */
export type IdleState = { kind: 'fine' } | { kind: 'warn'; msLeft: number } | { kind: 'ended' };

/** Pure, so the warning's timing is testable without waiting 15 minutes. */
export function idleState(expiresAt: number, now: number, warnMs = IDLE_WARNING_MS): IdleState {
  const left = expiresAt - now;
  if (left <= 0) return { kind: 'ended' };
  if (left <= warnMs) return { kind: 'warn', msLeft: left };
  return { kind: 'fine' };
}
