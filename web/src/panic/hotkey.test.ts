import { describe, expect, it } from 'vitest';
import { DEFAULT_PANIC_HOTKEY, matchesHotkey, parseHotkey } from './hotkey.js';

const key = (k: string, code: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}) => ({
  key: k,
  code,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('panic hotkey', () => {
  it('parses the default and rejects shortcuts without a key', () => {
    expect(parseHotkey(DEFAULT_PANIC_HOTKEY)).toEqual({ ctrl: true, shift: true, alt: false, meta: false, key: 'x' });
    expect(parseHotkey('cmd + option + Escape')).toEqual({ ctrl: false, shift: false, alt: true, meta: true, key: 'escape' });
    expect(parseHotkey('Ctrl+Shift')).toBeNull();
    expect(parseHotkey('Ctrl+A+B')).toBeNull();
    expect(parseHotkey('Ctrl++')).toBeNull();
  });

  it('matches exact modifiers, by key or by physical code', () => {
    const hk = parseHotkey(DEFAULT_PANIC_HOTKEY)!;
    expect(matchesHotkey(key('X', 'KeyX', { ctrlKey: true, shiftKey: true }), hk)).toBe(true);
    // A layout where that key types another letter still counts by position.
    expect(matchesHotkey(key('Ч', 'KeyX', { ctrlKey: true, shiftKey: true }), hk)).toBe(true);
    expect(matchesHotkey(key('x', 'KeyX', { ctrlKey: true }), hk)).toBe(false);
    expect(matchesHotkey(key('X', 'KeyX', { ctrlKey: true, shiftKey: true, altKey: true }), hk)).toBe(false);
    expect(matchesHotkey(key('c', 'KeyC', { ctrlKey: true, shiftKey: true }), hk)).toBe(false);
  });
});
