import { signal } from '@preact/signals';
import { DEFAULT_PANIC_HOTKEY } from './hotkey.js';
import type { ShakeSensitivity } from './shake.js';

/**
 * Panic preferences. They live in memory only, for this tab's life: even a
 * harmless preference on disk would tell someone who looks that Ghostwire was
 * used here, and a panic must leave storage empty. The defaults apply again
 * after a reload.
 */
export const panicSettings = {
  /** Keyboard shortcut, e.g. "Ctrl+Shift+X". */
  hotkey: signal(DEFAULT_PANIC_HOTKEY),
  /** Shaking the phone panics (where the browser gives motion readings). */
  shake: signal(true),
  /** How hard the shake must be: "high" fires on a lighter shake (and may while running). */
  shakeSensitivity: signal<ShakeSensitivity>('normal'),
  /** Also panic when the page is hidden (tab switch, screen off) or loses focus. */
  wipeWhen: signal<'never' | 'hidden' | 'blur'>('never'),
  /** A panic also removes the app shell and unregisters the worker (the app then needs the network to open). */
  deep: signal(false),
};
