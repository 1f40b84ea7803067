/** One security-relevant event of a direct session, for the audit panel: never any content. */
export interface AuditEvent {
  at: number;
  kind: 'keys' | 'confirm' | 'verify' | 'path' | 'padding' | 'cover' | 'signal' | 'warning';
  /** false marks a failure, true a success; absent for plain facts. */
  ok?: boolean;
  text: string;
}

/** Counters shown next to the audit list. */
export interface TrafficStats {
  framesSent: number;
  bytesSent: number;
  coverSent: number;
  coverDropped: number;
  /** Every frame size sent so far (all multiples of DIRECT_FRAME_UNIT_BYTES), deduplicated. */
  sizes: number[];
}

export const emptyStats = (): TrafficStats => ({ framesSent: 0, bytesSent: 0, coverSent: 0, coverDropped: 0, sizes: [] });

/** The counters after one more frame of `bytes` went out. */
export function countSent(s: TrafficStats, bytes: number, cover: boolean): TrafficStats {
  return {
    framesSent: s.framesSent + 1,
    bytesSent: s.bytesSent + bytes,
    coverSent: s.coverSent + (cover ? 1 : 0),
    coverDropped: s.coverDropped,
    sizes: s.sizes.includes(bytes) ? s.sizes : [...s.sizes, bytes].sort((a, b) => a - b),
  };
}
