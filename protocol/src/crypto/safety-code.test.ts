import { describe, expect, it } from 'vitest';
import { newRoomSecret } from './derive.js';
import { roomSafetyCode } from './safety-code.js';

describe('roomSafetyCode', () => {
  it('is stable for one secret, different for another, and readable', async () => {
    const s = newRoomSecret();
    const code = await roomSafetyCode(s);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await roomSafetyCode(new Uint8Array(s))).toBe(code);
    const t = new Uint8Array(s);
    t[0] = t[0]! ^ 1;
    expect(await roomSafetyCode(t)).not.toBe(code);
  });
});
