/** A keyboard shortcut: exact modifiers plus one key. */
export interface Hotkey {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  /** Lower-case key name: a letter, a digit, or a name such as "escape". */
  key: string;
}

/** The default panic shortcut (DESIGN §6). */
export const DEFAULT_PANIC_HOTKEY = 'Ctrl+Shift+X';

const MODIFIERS = { ctrl: 'ctrl', control: 'ctrl', shift: 'shift', alt: 'alt', option: 'alt', meta: 'meta', cmd: 'meta', command: 'meta' } as const;

/** Parses "Ctrl+Shift+X" (case-insensitive); null if it names no key, or only modifiers. */
export function parseHotkey(text: string): Hotkey | null {
  const hk: Hotkey = { ctrl: false, shift: false, alt: false, meta: false, key: '' };
  for (const raw of text.split('+')) {
    const part = raw.trim().toLowerCase();
    if (!part) return null;
    const mod = MODIFIERS[part as keyof typeof MODIFIERS];
    if (mod) hk[mod] = true;
    else if (hk.key) return null;
    else hk.key = part;
  }
  return hk.key ? hk : null;
}

/** Whether a keydown matches: same modifiers, and the key by name or, for letters and digits, by physical code. */
export function matchesHotkey(ev: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>, hk: Hotkey): boolean {
  if (ev.ctrlKey !== hk.ctrl || ev.shiftKey !== hk.shift || ev.altKey !== hk.alt || ev.metaKey !== hk.meta) return false;
  if (ev.key.toLowerCase() === hk.key) return true;
  // With Alt or a non-Latin layout `key` may be another character; the physical key still counts.
  if (/^[a-z]$/.test(hk.key)) return ev.code === `Key${hk.key.toUpperCase()}`;
  if (/^[0-9]$/.test(hk.key)) return ev.code === `Digit${hk.key}`;
  return false;
}
