/**
 * What a receiver knows of each sender's sequence. Every part header carries
 * the sender's stream id and counter inside its signature (content.ts), so
 * the relay can withhold, reorder or repeat frames but cannot renumber them.
 * A stream is one signing key's sending session: (key fingerprint, stream id).
 */

/** What a complete message (or a part of an already complete one) is, given what came before from its stream. */
export type Delivery =
  /** Not seen before. */
  | 'new'
  /** Seen, now signed for another member id: the sender resent it after a reconnect (honest; drop quietly). */
  | 'resend'
  /** Seen under this very member id (a copy the relay, or someone who recorded the room, played again), or a counter reused for another message. */
  | 'replay';

/** Inclusive ranges of counters, ascending. */
export type Ranges = Array<[number, number]>;

interface Stream {
  /** counter → message id and the member ids it was signed for. */
  seen: Map<number, { messageId: string; members: Set<string> }>;
  min: number;
  max: number;
  /** Counters in (min, max) not delivered, kept as deliveries come (no rescan per message under a flood). */
  gaps: Ranges;
}

/** Streams remembered per room; past this the oldest is forgotten (bounds what a key-churning member can pin). */
const MAX_STREAMS = 4096;

export const streamKey = (keyFingerprint: string, stream: string): string => `${keyFingerprint}/${stream}`;

export class SenderStreams {
  private readonly streams = new Map<string, Stream>();

  /** Classifies a (part of a) message without recording it: null if its counter has not been delivered. */
  check(key: string, counter: number, member: string, messageId: string): Delivery | null {
    const seen = this.streams.get(key)?.seen.get(counter);
    if (!seen) return null;
    if (seen.messageId !== messageId || seen.members.has(member)) return 'replay';
    return 'resend';
  }

  /** Records a complete message and says what it was. */
  deliver(key: string, counter: number, member: string, messageId: string): Delivery {
    const known = this.check(key, counter, member, messageId);
    let s = this.streams.get(key);
    if (known) {
      s?.seen.get(counter)?.members.add(member);
      return known;
    }
    if (!s) {
      if (this.streams.size >= MAX_STREAMS) {
        const oldest = this.streams.keys().next().value;
        if (oldest !== undefined) this.streams.delete(oldest);
      }
      s = { seen: new Map(), min: counter, max: counter, gaps: [] };
      this.streams.set(key, s);
    }
    s.seen.set(counter, { messageId, members: new Set([member]) });
    if (counter > s.max) {
      if (counter > s.max + 1) s.gaps.push([s.max + 1, counter - 1]);
      s.max = counter;
    } else if (counter < s.min) {
      if (counter < s.min - 1) s.gaps.unshift([counter + 1, s.min - 1]);
      s.min = counter;
    } else {
      s.gaps = without(s.gaps, [counter]);
    }
    return 'new';
  }

  /**
   * Counters between the first and the last delivered that have not arrived.
   * (What came before the first message we saw predates our membership, or
   * the backlog's reach: it is not counted as missing.)
   */
  missing(key: string): Ranges {
    return [...(this.streams.get(key)?.gaps ?? [])];
  }

  keys(): Iterable<string> {
    return this.streams.keys();
  }

  clear(): void {
    this.streams.clear();
  }
}

/** Counters in both range lists. */
export function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** Counters in either range list, coalesced. */
export function union(a: Ranges, b: Ranges): Ranges {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [lo, hi] of all) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** Counters in `a` that are not in `drop` (single counters). */
export function without(a: Ranges, drop: Iterable<number>): Ranges {
  let out = a;
  for (const c of drop) {
    out = out.flatMap(([lo, hi]): Ranges => {
      if (c < lo || c > hi) return [[lo, hi]];
      const parts: Ranges = [];
      if (c > lo) parts.push([lo, c - 1]);
      if (c < hi) parts.push([c + 1, hi]);
      return parts;
    });
  }
  return out;
}

