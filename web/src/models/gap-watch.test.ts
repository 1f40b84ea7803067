import { describe, expect, it } from 'vitest';
import type { Ranges } from '../../../protocol/src/crypto/streams.js';
import { GapWatch } from './gap-watch.js';
import { MessageView } from './message-view.js';

const gaps = (view: MessageView) => view.messages.value.filter((m) => m.kind === 'gap').map((m) => [m.order?.counter, m.missing]);

describe('GapWatch (missing messages on screen)', () => {
  it('shows a gap only once it was missing at two checks in a row, and removes it when the message arrives', () => {
    const view = new MessageView();
    let missing = new Map<string, Ranges>([['s', [[2, 3]]]]);
    const watch = new GapWatch(view, (only) => (only === undefined ? missing : new Map([...missing].filter(([k]) => k === only))));
    watch.check();
    expect(gaps(view)).toEqual([]);
    watch.check();
    expect(gaps(view)).toEqual([[2, 2]]);
    // Counter 2 arrived: only 3 is still missing.
    missing = new Map([['s', [[3, 3]]]]);
    watch.delivered('s');
    expect(gaps(view)).toEqual([[3, 1]]);
    missing = new Map();
    watch.delivered('s');
    expect(gaps(view)).toEqual([]);
  });

  it('does not show what was missing at one check and arrived by the next', () => {
    const view = new MessageView();
    let missing = new Map<string, Ranges>([['s', [[5, 5]]]]);
    const watch = new GapWatch(view, () => missing);
    watch.check();
    missing = new Map([['s', [[7, 7]]]]);
    watch.check();
    expect(gaps(view)).toEqual([]);
    watch.check();
    expect(gaps(view)).toEqual([[7, 1]]);
    watch.clear();
    missing = new Map();
    watch.check();
    expect(gaps(view)).toEqual([[7, 1]]);
  });
});
