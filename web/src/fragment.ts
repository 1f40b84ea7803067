/**
 * Reads the URL fragment (where room and direct secrets travel) once, and
 * removes it from the address bar and the current history entry at once, so
 * a screenshot, a shoulder-surfer or the tab switcher does not see it.
 * The browser's history database may still hold the URL as it was opened;
 * scanning a QR code in the app avoids that (see the Privacy page).
 */
export function takeFragment(loc: Location = location, hist: History = history): string | null {
  const secret = loc.hash.length > 1 ? loc.hash.slice(1) : null;
  if (secret !== null) hist.replaceState(null, '', loc.pathname + loc.search);
  return secret;
}

/** The Privacy page's honest note on invite links and browser history (the fragment is stripped, but not from history). */
export const FRAGMENT_HISTORY_NOTE =
  'Ghostwire removes the secret from the address bar as soon as it reads it. But a link you open in the browser stays in the browser\'s history (and its session-restore records), secret included, until you delete that history; anyone who reads it can join the room while it lives. Scanning the QR code inside Ghostwire, or using a private window, keeps it out.';
