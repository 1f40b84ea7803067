import { parseRoomFragment } from './fragment.js';
import { navigate } from './router.js';
import { pendingDirectSecret, pendingSecret } from './state.js';

export type InviteKind = 'room' | 'direct';

/** What an invite link carries: which kind of session, and its fragment (a room's may hold a ticket too: fragment.ts). */
export interface Invite {
  kind: InviteKind;
  secret: string;
}

/**
 * Parses a scanned or pasted link. Only links to this relay's own origin are
 * accepted: a QR code must not be able to send the user to another host.
 */
export function parseInvite(text: string, origin: string): Invite | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const secret = url.hash.slice(1);
  // A room link may carry a rotating invite's ticket after its secret (fragment.ts); a direct link never does.
  if (url.pathname === '/r') return parseRoomFragment(secret) ? { kind: 'room', secret } : null;
  if (url.pathname === '/d') return /^[\w-]{16,128}$/.test(secret) ? { kind: 'direct', secret } : null;
  return null;
}

/** Opens an invite in-app: the secret goes to memory, and the address bar only ever shows the path. */
export function openInvite(invite: Invite): void {
  if (invite.kind === 'room') {
    pendingSecret.value = invite.secret;
    navigate('/r', true);
  } else {
    pendingDirectSecret.value = invite.secret;
    navigate('/d', true);
  }
}
