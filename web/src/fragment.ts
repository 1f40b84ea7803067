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
  'Ghostwire removes the secret from the address bar as soon as it reads it. But a link you open in the browser stays in the browser\'s history (and its session-restore records), secret included, until you delete that history; anyone who reads it can join the room while it lives. In a private room with forward secrecy (the default) that is all it gives: it opens nothing already said. In a room without it, and in every public room, the link opens everything said there, before and after. Scanning the QR code inside Ghostwire, or using a private window, keeps it out.';

/** What a room invite's fragment carries: the room secret, for a room with rotating invites a ticket, and whether the room is an MLS group. */
export interface RoomFragment {
  secret: string;
  ticket?: string;
  /** Content keys from an MLS group (forward secrecy): marked in the link, where the relay cannot change it. */
  mls?: boolean;
}

/** Ends the fragment of an MLS room's link. `~` is unreserved in URLs (never percent-encoded) and in no secret or ticket. */
const MLS_MARK = '~m';

const SECRET = /^[\w-]{16,128}$/;
/** The relay's ticket is `base64url(claims).base64url(mac)`, 16–256 characters (joinTokenRequestSchema). */
const TICKET = /^[\w-]+\.[\w-]+$/;

/**
 * Reads a room fragment: `<S>` (a plain invite) or `<S>.<ticket>` (a rotating
 * invite), either followed by `~m` for an MLS room. The secret never contains
 * a dot, so the first dot ends it and the rest is the opaque ticket. Null when
 * any part is malformed.
 */
export function parseRoomFragment(text: string): RoomFragment | null {
  const mls = text.endsWith(MLS_MARK);
  if (mls) {
    const inner = parseRoomFragment(text.slice(0, -MLS_MARK.length));
    return inner && !inner.mls ? { ...inner, mls } : null;
  }
  const dot = text.indexOf('.');
  const secret = dot < 0 ? text : text.slice(0, dot);
  if (!SECRET.test(secret)) return null;
  if (dot < 0) return { secret };
  const ticket = text.slice(dot + 1);
  if (ticket.length < 16 || ticket.length > 256 || !TICKET.test(ticket)) return null;
  return { secret, ticket };
}

/** The fragment for a room invite (see parseRoomFragment): the ticket, when given, travels next to the secret, never in the path or query. */
export function roomFragment(f: RoomFragment): string {
  return (f.ticket ? `${f.secret}.${f.ticket}` : f.secret) + (f.mls ? MLS_MARK : '');
}
