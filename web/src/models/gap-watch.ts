import { intersect, union, type Ranges } from '../../../protocol/src/crypto/streams.js';
import type { MessageView } from './message-view.js';

/**
 * Shows missing messages per sender stream. A counter is shown as missing
 * once it has been missing at two checks in a row (or is shown already and
 * still missing): the relay's instances may deliver a moment out of order,
 * and a message whose parts are still arriving is not missing.
 */
export class GapWatch {
  /** Per sender stream: missing at the last check, and shown as missing now. */
  private lastMissing = new Map<string, Ranges>();
  private readonly shown = new Map<string, Ranges>();

  constructor(
    private readonly view: MessageView,
    /** Per stream (or for one): counters the receiver has not seen and is not receiving now. */
    private readonly missing: (only?: string) => Map<string, Ranges>,
  ) {}

  /** One periodic check. */
  check(): void {
    const now = this.missing();
    for (const stream of new Set([...now.keys(), ...this.shown.keys()])) {
      const cur = now.get(stream) ?? [];
      this.show(stream, intersect(cur, union(this.lastMissing.get(stream) ?? [], this.shown.get(stream) ?? [])));
    }
    this.lastMissing = now;
  }

  /** A message of `stream` arrived: it may fill a gap already on screen. */
  delivered(stream: string): void {
    const shown = this.shown.get(stream);
    if (shown) this.show(stream, intersect(shown, this.missing(stream).get(stream) ?? []));
  }

  clear(): void {
    this.lastMissing.clear();
    this.shown.clear();
  }

  private show(stream: string, ranges: Ranges): void {
    const before = this.shown.get(stream) ?? [];
    if (JSON.stringify(before) === JSON.stringify(ranges)) return;
    if (ranges.length) this.shown.set(stream, ranges);
    else this.shown.delete(stream);
    this.view.flush();
    const sample = this.view.messages.value.find((m) => m.order?.stream === stream && m.kind !== 'gap');
    this.view.setGaps(stream, ranges, { from: sample?.from ?? '', handle: sample?.handle ?? 'A member', colour: sample?.colour ?? 'inherit' });
  }
}
