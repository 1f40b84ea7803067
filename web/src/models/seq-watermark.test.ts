import { describe, expect, it } from 'vitest';
import { SeqWatermark } from './seq-watermark.js';

describe('SeqWatermark (what a rejoin asks the backlog for)', () => {
  it('is undefined before the first join, then starts at the room seq of that join', () => {
    const w = new SeqWatermark();
    w.saw(3);
    expect(w.value).toBeUndefined();
    w.joined(5);
    expect(w.value).toBe(5);
    // Replayed history at or below the join point does not move it.
    w.saw(2);
    expect(w.value).toBe(5);
  });

  it('advances over contiguous seqs and holds below a gap until it fills', () => {
    const w = new SeqWatermark();
    w.joined(0);
    w.saw(1);
    w.saw(2);
    expect(w.value).toBe(2);
    // 4 arrives before 3 (another instance's frame, over pub/sub): a drop now must not skip 3.
    w.saw(4);
    expect(w.value).toBe(2);
    w.saw(3);
    expect(w.value).toBe(4);
  });

  it('counts our own acknowledged frames like anyone else\'s', () => {
    const w = new SeqWatermark();
    w.joined(10);
    w.saw(12);
    w.saw(11);
    expect(w.value).toBe(12);
  });

  it('gives up on a seq that can no longer come once a frame newer than the rejoin point arrives', () => {
    const w = new SeqWatermark();
    w.joined(0);
    w.saw(1);
    w.saw(3); // 2 is never seen: it was trimmed from the backlog, or the room keeps none
    expect(w.value).toBe(1);
    w.joined(6); // rejoin; the relay replays what it still has after 1
    w.saw(4);
    w.saw(5);
    expect(w.value).toBe(1);
    w.saw(7); // newer than the room's seq at the rejoin: the replay is over
    expect(w.value).toBe(7);
    // And it goes on from there.
    w.saw(9);
    w.saw(8);
    expect(w.value).toBe(9);
  });

  it('keeps what it had when the rejoin replays nothing new', () => {
    const w = new SeqWatermark();
    w.joined(0);
    w.saw(1);
    w.joined(1);
    expect(w.value).toBe(1);
    w.saw(2);
    expect(w.value).toBe(2);
  });
});
