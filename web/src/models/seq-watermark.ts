/**
 * The room sequence number a reconnecting client asks the backlog to replay
 * after (`join.lastSeq`): the highest seq up to which it has seen *every*
 * frame, not the highest it has seen.
 *
 * With several relay instances the room's seqs come from one counter but live
 * frames reach a client over different paths (its own instance directly,
 * others through Redis pub/sub), so 8 can arrive a moment before 7. If the
 * socket drops in between, "the highest seen" (8) would skip 7 for good; the
 * watermark stays at 6 and the replay brings 7 (and 8 again, which the room
 * model drops as a message it already has).
 *
 * A seq may never arrive (trimmed from a short backlog, or no backlog at
 * all); the watermark would then stick. So on each `joined` it takes the
 * room's newest seq at that moment as a floor, and once a frame newer than the
 * floor arrives — the relay replays the backlog in seq order before any live
 * frame — everything up to the floor has come that will ever come.
 */
export class SeqWatermark {
  /** Every seq in (start of membership, upTo] has been seen. */
  private upTo: number | undefined;
  /** Seen, but above a gap. */
  private readonly ahead = new Set<number>();
  private floor: number | undefined;

  /** The value for `join.lastSeq`; undefined before the first join. */
  get value(): number | undefined {
    return this.upTo;
  }

  /** A `joined` arrived with the room's newest seq. */
  joined(roomSeq: number): void {
    if (this.upTo === undefined) {
      // First join: what came before is the backlog's to replay, not ours to wait for.
      this.upTo = roomSeq;
      return;
    }
    this.floor = roomSeq;
  }

  /** A frame (or our own frame's ack) with this seq. */
  saw(seq: number): void {
    if (this.upTo === undefined || seq <= this.upTo) return;
    this.ahead.add(seq);
    if (this.floor !== undefined && seq > this.floor) {
      this.upTo = Math.max(this.upTo, this.floor);
      this.floor = undefined;
      for (const s of this.ahead) if (s <= this.upTo) this.ahead.delete(s);
    }
    while (this.ahead.delete(this.upTo + 1)) this.upTo++;
  }
}
