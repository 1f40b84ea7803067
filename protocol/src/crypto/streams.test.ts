import { describe, expect, it } from 'vitest';
import { intersect, SenderStreams, union, without } from './streams.js';

describe('SenderStreams', () => {
  it('sees a gap, fills it when the late message comes, and tells a replay from a resend', () => {
    const s = new SenderStreams();
    // The relay delivers 3, 1, 4 and drops 2.
    expect(s.deliver('k', 3, 'A', 'm3')).toBe('new');
    expect(s.deliver('k', 1, 'A', 'm1')).toBe('new');
    expect(s.missing('k')).toEqual([[2, 2]]);
    expect(s.deliver('k', 4, 'A', 'm4')).toBe('new');
    expect(s.deliver('k', 7, 'A', 'm7')).toBe('new');
    expect(s.missing('k')).toEqual([
      [2, 2],
      [5, 6],
    ]);
    expect(s.deliver('k', 5, 'A', 'm5')).toBe('new');
    expect(s.missing('k')).toEqual([
      [2, 2],
      [6, 6],
    ]);
    // The same signed copy again: a replay. The same message signed for a new member id: the sender's resend.
    expect(s.deliver('k', 3, 'A', 'm3')).toBe('replay');
    expect(s.deliver('k', 3, 'B', 'm3')).toBe('resend');
    expect(s.check('k', 3, 'B', 'm3')).toBe('replay');
    // A counter reused for another message is not a new message either.
    expect(s.deliver('k', 4, 'C', 'other')).toBe('replay');
    // Streams are apart: another key's counter 3 is its own.
    expect(s.deliver('k2', 3, 'A', 'm3')).toBe('new');
    expect(s.missing('k2')).toEqual([]);
  });

  it('range helpers', () => {
    expect(intersect([[1, 5], [8, 9]], [[4, 8]])).toEqual([[4, 5], [8, 8]]);
    expect(union([[1, 2]], [[3, 4], [7, 7]])).toEqual([[1, 4], [7, 7]]);
    expect(without([[1, 5]], [1, 3])).toEqual([[2, 2], [4, 5]]);
  });
});
