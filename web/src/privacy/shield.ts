import { signal } from '@preact/signals';

/**
 * Best-effort screen shielding. None of this can stop a camera, a second
 * device, an OS-level screenshot or a determined user with devtools; it only
 * makes casual capture of the chat harder. The Privacy page says so.
 */
export const shieldSettings = {
  /** Blur messages whenever the window loses focus. Off by default. */
  blurOnBlur: signal(false),
  /** Blur when the devtools-open heuristic fires. Off by default. */
  blurOnDevtools: signal(false),
};

/** Why the content is blurred right now, or null. */
export const shielded = signal<null | 'focus' | 'printscreen' | 'devtools'>(null);

/** Window chrome wider than this (px) suggests docked devtools; a heuristic with false positives. */
const DEVTOOLS_GAP_PX = 160;

export function devtoolsLikelyOpen(w: Pick<Window, 'outerWidth' | 'innerWidth' | 'outerHeight' | 'innerHeight'>): boolean {
  return w.outerWidth - w.innerWidth > DEVTOOLS_GAP_PX || w.outerHeight - w.innerHeight > DEVTOOLS_GAP_PX;
}

/** Installs the listeners; returns a function that removes them. */
export function installShield(target: Window = window): () => void {
  const onBlur = () => {
    if (shieldSettings.blurOnBlur.value) shielded.value = 'focus';
  };
  const onFocus = () => {
    if (shielded.value === 'focus') shielded.value = null;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'PrintScreen') return;
    shielded.value = 'printscreen';
    // Overwrite whatever the OS just put on the clipboard (works only where the page may write to it).
    void navigator.clipboard?.writeText('').catch(() => undefined);
    setTimeout(() => {
      if (shielded.value === 'printscreen') shielded.value = null;
    }, 1500);
  };
  const onResize = () => {
    if (!shieldSettings.blurOnDevtools.value) return;
    if (devtoolsLikelyOpen(target)) shielded.value = 'devtools';
    else if (shielded.value === 'devtools') shielded.value = null;
  };
  const noMenu = (e: Event) => {
    if ((e.target as Element | null)?.closest?.('[data-sensitive]')) e.preventDefault();
  };
  target.addEventListener('blur', onBlur);
  target.addEventListener('focus', onFocus);
  target.addEventListener('keyup', onKey);
  target.addEventListener('resize', onResize);
  target.addEventListener('contextmenu', noMenu);
  return () => {
    target.removeEventListener('blur', onBlur);
    target.removeEventListener('focus', onFocus);
    target.removeEventListener('keyup', onKey);
    target.removeEventListener('resize', onResize);
    target.removeEventListener('contextmenu', noMenu);
  };
}
