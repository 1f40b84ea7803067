import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveBlobUrls } from '../media/blob-urls.js';
import { HeldMessages } from './held.js';

describe('HeldMessages (time-lock and read-once, client-enforced)', () => {
  const shown: Array<[string, string, string | undefined]> = [];
  const removed: string[] = [];
  let held: HeldMessages;
  beforeEach(() => {
    vi.useFakeTimers();
    shown.length = 0;
    removed.length = 0;
    held = new HeldMessages({ show: (id, body, url) => shown.push([id, body, url]), remove: (id) => removed.push(id) }, 5000);
  });
  afterEach(() => {
    held.clear();
    vi.useRealTimers();
  });

  it('shows a time-locked message only once its release time has passed', () => {
    held.hold('a', { body: 'later' }, 60_000, false, 0);
    expect(held.reveal('a')).toBe(false);
    vi.advanceTimersByTime(59_999);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([['a', 'later', undefined]]);
    expect(removed).toEqual([]);
  });

  it('keeps a read-once message hidden until revealed, then removes it after the view time', () => {
    held.hold('b', { body: 'secret' }, undefined, true);
    expect(shown).toEqual([]);
    expect(held.reveal('b')).toBe(true);
    expect(shown).toEqual([['b', 'secret', undefined]]);
    expect(held.reveal('b')).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(removed).toEqual(['b']);
    expect(held.isHeld('b')).toBe(false);
  });

  it('a time-locked read-once message first becomes viewable, then burns after one view', () => {
    held.hold('c', { body: 'both' }, 1000, true, 0);
    vi.advanceTimersByTime(1000);
    expect(shown).toEqual([['c', '', undefined]]);
    held.reveal('c');
    expect(shown.at(-1)).toEqual(['c', 'both', undefined]);
    held.burn('c');
    expect(removed).toEqual(['c']);
  });

  it('revokes a read-once image URL when it burns', () => {
    held.hold('d', { body: '', image: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }) }, undefined, true);
    const before = liveBlobUrls();
    held.reveal('d');
    const url = shown.at(-1)![2]!;
    expect(url).toMatch(/^blob:/);
    expect(liveBlobUrls()).toBe(before + 1);
    held.burn('d');
    expect(liveBlobUrls()).toBe(before);
  });
});
