import { describe, expect, it } from 'vitest';
import { MessageLog, type DirectMessage } from './message-log.js';

const msg = (id: string, mine = false): DirectMessage => ({ id, mine, body: id, at: 0, ...(mine ? { delivery: 'sending' as const } : {}) });

describe('direct message log', () => {
  it('publishes a burst once, as one new array', () => {
    const published: Array<readonly DirectMessage[]> = [];
    const pending: Array<() => void> = [];
    const log = new MessageLog((m) => published.push(m), (fn) => (pending.push(fn), 0 as unknown as ReturnType<typeof setTimeout>));
    for (let i = 0; i < 1000; i++) log.add(msg(`m${i}`));
    expect(pending).toHaveLength(1);
    pending[0]!();
    expect(published).toHaveLength(1);
    expect(published[0]).toHaveLength(1000);
    expect(log.has('m999')).toBe(true);
  });

  it('moves delivery forward only, and only on my messages', () => {
    let last: readonly DirectMessage[] = [];
    const log = new MessageLog((m) => (last = m), () => 0 as unknown as ReturnType<typeof setTimeout>);
    log.add(msg('a', true));
    log.add(msg('b'));
    log.mark('a', 'sent');
    log.flush();
    expect(last[0]?.delivery).toBe('sent');
    const before = last;
    log.mark('a', 'delivered');
    log.mark('b', 'delivered');
    log.flush();
    expect(last[0]?.delivery).toBe('delivered');
    expect(last[1]?.delivery).toBeUndefined();
    // The previous array was not mutated (renders compare by identity).
    expect(before[0]?.delivery).toBe('sent');
    log.mark('a', 'sent');
    log.flush();
    expect(last[0]?.delivery).toBe('delivered');
    const settled = last;
    log.poke();
    log.flush();
    expect(last).toBe(settled);
    log.clear();
    expect(log.messages).toEqual([]);
  });
});
