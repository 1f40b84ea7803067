/** Where one of my messages is: queued, handed to the path, or confirmed by the other person's app (an encrypted receipt). */
export type Delivery = 'sending' | 'sent' | 'delivered' | 'failed';

export interface DirectMessage {
  id: string;
  mine: boolean;
  body: string;
  /** This device's clock when it was sent or shown (the peer's clock is not trusted). */
  at: number;
  /** Mine only. */
  delivery?: Delivery;
}

/** How long changes wait to be published together: one render for a burst, not one per message. */
export const FLUSH_MS = 50;
/** The same for counters alone (cover received, a flood's drops): they change per frame and need not render as often. */
export const COUNTS_FLUSH_MS = 250;

const RANK: Record<Delivery, number> = { sending: 0, failed: 1, sent: 2, delivered: 3 };

/**
 * The conversation, changed in batches: `add` and `mark` only queue, and at
 * most one `publish` per FLUSH_MS hands over a new array, so a burst of N
 * messages costs one copy, not N.
 */
export class MessageLog {
  private list: readonly DirectMessage[] = [];
  private readonly index = new Map<string, number>();
  private queued: DirectMessage[] = [];
  private readonly marks = new Map<string, Delivery>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly publish: (messages: readonly DirectMessage[]) => void,
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = (fn, ms) => setTimeout(fn, ms),
  ) {}

  get messages(): readonly DirectMessage[] {
    return this.list;
  }

  /** Whether a message id was already added (a replay or a repeated part). */
  has(id: string): boolean {
    return this.index.has(id) || this.queued.some((m) => m.id === id);
  }

  add(m: DirectMessage): void {
    this.queued.push(m);
    this.poke(FLUSH_MS);
  }

  /** Moves one of my messages forward (never back: a late "sent" does not undo "delivered"). */
  mark(id: string, delivery: Delivery): void {
    const prev = this.marks.get(id);
    if (!prev || RANK[delivery] > RANK[prev]) this.marks.set(id, delivery);
    this.poke(FLUSH_MS);
  }

  /** Publishes within `ms` even with no message change (counters changed); a flush already due sooner stays. */
  poke(ms = COUNTS_FLUSH_MS): void {
    this.timer ??= this.schedule(() => this.flush(), ms);
  }

  /** Publishes now what is queued. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // The same array when nothing changed, so a list that compares by identity does not render again.
    let next: DirectMessage[] | readonly DirectMessage[] = this.queued.length ? this.list.concat(this.queued) : this.list;
    for (let i = this.list.length; i < next.length; i++) this.index.set(next[i]!.id, i);
    this.queued = [];
    for (const [id, delivery] of this.marks) {
      const i = this.index.get(id);
      const m = i === undefined ? undefined : next[i];
      if (!m?.mine || RANK[delivery] <= RANK[m.delivery ?? 'sending']) continue;
      if (next === this.list) next = next.slice();
      (next as DirectMessage[])[i!] = { ...m, delivery };
    }
    // Marks for messages still queued in this same flush were applied above; marks for unknown ids are dropped.
    this.marks.clear();
    this.list = next;
    this.publish(next);
  }

  /** Forgets everything. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.list = [];
    this.queued = [];
    this.index.clear();
    this.marks.clear();
  }
}
