import { describe, expect, it } from 'vitest';
import { neutraliseText } from './display-text.js';

describe('neutraliseText', () => {
  it('removes overrides, isolates and marks, so "exe.png" cannot show as "png.exe"', () => {
    expect(neutraliseText('invoice\u202Egnp.exe')).toBe('invoicegnp.exe');
    expect(neutraliseText('Room\u2067 name\u2069\u200F')).toBe('Room name');
    expect(neutraliseText('שלום hello')).toBe('שלום hello');
  });
});
