/** One security-relevant event of a direct session, for the security log: never any content. */
export interface AuditEvent {
  at: number;
  kind: 'keys' | 'confirm' | 'verify' | 'path' | 'padding' | 'cover' | 'signal' | 'flood' | 'warning';
  /** false marks a failure, true a success; absent for plain facts. */
  ok?: boolean;
  text: string;
}

/** The log keeps this many events (a peer can make events happen; memory stays bounded). */
export const MAX_AUDIT_EVENTS = 200;

/** The log with one more event, oldest dropped past MAX_AUDIT_EVENTS. */
export const appendAudit = (log: readonly AuditEvent[], e: AuditEvent): AuditEvent[] => [...log.slice(-(MAX_AUDIT_EVENTS - 1)), e];

/** Counters shown in the security log. */
export interface TrafficStats {
  framesSent: number;
  bytesSent: number;
  coverSent: number;
  coverDropped: number;
  /** Every frame size sent so far (always DIRECT_FRAME_BYTES), deduplicated. */
  sizes: number[];
  /** Frames from the peer dropped unopened, past the receive budget. */
  framesRefused: number;
}

export const emptyStats = (): TrafficStats => ({ framesSent: 0, bytesSent: 0, coverSent: 0, coverDropped: 0, sizes: [], framesRefused: 0 });

/** The counters after one more frame of `bytes` went out. */
export function countSent(s: TrafficStats, bytes: number, cover: boolean): TrafficStats {
  return {
    ...s,
    framesSent: s.framesSent + 1,
    bytesSent: s.bytesSent + bytes,
    coverSent: s.coverSent + (cover ? 1 : 0),
    sizes: s.sizes.includes(bytes) ? s.sizes : [...s.sizes, bytes].sort((a, b) => a - b),
  };
}
