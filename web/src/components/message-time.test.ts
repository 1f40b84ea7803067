import { describe, expect, it } from 'vitest';
import { messageTime } from './message-time.js';

describe('messageTime', () => {
  it('gives the time alone today and a date on any other day', () => {
    const now = new Date(2026, 11, 1, 23, 50).getTime();
    const today = messageTime(new Date(2026, 11, 1, 9, 5).getTime(), now);
    const tomorrow = messageTime(new Date(2026, 11, 2, 0, 10).getTime(), now);
    expect(today).toMatch(/^\d{1,2}:\d{2}/);
    expect(today).not.toContain(',');
    expect(tomorrow).toContain(',');
    expect(tomorrow).toMatch(/2/);
  });
});
