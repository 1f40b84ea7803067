/** How the data channel's bytes travel, from the selected ICE candidate pair (no addresses kept). */
export interface PathInfo {
  local: string;
  remote: string;
  /** Through a TURN server on either side. */
  relayed: boolean;
  protocol: string;
}

type StatsLike = Map<string, Record<string, unknown>> | RTCStatsReport;

/** Finds the selected candidate pair in a getStats() report and names the candidate types. */
/** A stats field as text: RTCStats values are untyped, and a missing one reads 'unknown'. */
const text = (v: unknown): string => (typeof v === 'string' ? v : 'unknown');

export function selectedPath(report: StatsLike): PathInfo | null {
  const all = new Map<string, Record<string, unknown>>();
  report.forEach((v: Record<string, unknown>, k: string) => all.set(k, v));
  let pairId: string | undefined;
  for (const s of all.values()) {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pairId = s.selectedCandidatePairId;
  }
  let pair = pairId ? all.get(pairId) : undefined;
  if (!pair) {
    // Firefox has no transport stats: fall back to the nominated, succeeded pair.
    pair = [...all.values()].find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  }
  if (!pair) return null;
  const local = all.get(String(pair.localCandidateId));
  const remote = all.get(String(pair.remoteCandidateId));
  const lt = text(local?.candidateType);
  const rt = text(remote?.candidateType);
  return { local: lt, remote: rt, relayed: lt === 'relay' || rt === 'relay', protocol: text(local?.protocol) };
}

/** The path in plain words for the page (candidate types stay in PathInfo, for tests and the curious). */
export function describePath(p: PathInfo): string {
  if (p.relayed) return 'Connected through a TURN relay server: the other person cannot see your network address (IP).';
  return 'Connected directly: the other person\'s device can see your network address (IP).';
}
