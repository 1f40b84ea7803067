import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import type { ConnectionState } from '../net/relay-client.js';

/** Why a room can no longer be used in this tab. Each has its own page (components/room-gone.tsx). */
export type GoneReason = 'expired' | 'ended' | 'not-found' | 'full' | 'refused' | 'invite-expired' | 'damaged' | 'destroyed' | 'reloaded' | 'broken';

/** The room's lifecycle as the screen shows it, on every screen size. */
export type RoomStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** `retryAt`: when the next attempt starts (epoch ms, this device's clock). */
  | { kind: 'reconnecting'; reason: string; retryAt: number }
  | { kind: 'gone'; reason: GoneReason; detail?: string };

/** Grace (ms) within which a room closing near its timer counts as having expired rather than been lost. */
const EXPIRY_SLACK_MS = 10_000;

/**
 * Maps the relay connection to what the person is told. `joinedOnce`: this
 * tab was in the room before (so a vanished room ended, rather than never
 * existed); `expiresAt`: the room's timer when known; `since`: when the
 * current state began (a waiting state's retry counts from it).
 */
export function roomStatus(conn: ConnectionState, opts: { joinedOnce: boolean; expiresAt: number | null; since: number; now: number }): RoomStatus {
  switch (conn.phase) {
    case 'idle':
    case 'connecting':
      return opts.joinedOnce ? { kind: 'reconnecting', reason: 'Connecting again…', retryAt: opts.now } : { kind: 'connecting' };
    case 'open':
      return { kind: 'connected' };
    case 'waiting':
      return { kind: 'reconnecting', reason: conn.reason, retryAt: opts.since + conn.retryInMs };
    case 'closed':
      // The relay asked for a fresh rotating-invite ticket: the one in the link was too old or already used.
      if (conn.error === ErrorCode.InviteRequired) return { kind: 'gone', reason: 'invite-expired', detail: conn.reason };
      return { kind: 'gone', reason: goneReason(conn.code, opts), detail: conn.reason };
    default: {
      const never: never = conn;
      return never;
    }
  }
}

function goneReason(code: number | undefined, opts: { joinedOnce: boolean; expiresAt: number | null; now: number }): GoneReason {
  switch (code) {
    case CloseCode.RoomGone:
      if (!opts.joinedOnce) return 'not-found';
      return opts.expiresAt !== null && opts.now >= opts.expiresAt - EXPIRY_SLACK_MS ? 'expired' : 'ended';
    case CloseCode.RoomFull:
      return 'full';
    case CloseCode.Unauthorized:
      return 'refused';
    case CloseCode.Destroyed:
      return 'destroyed';
    default:
      return 'broken';
  }
}

/** What each gone page says: a heading, what happened, and what to do. */
export const GONE_TEXT: Record<GoneReason, { title: string; body: string }> = {
  expired: {
    title: 'This room has expired',
    body: 'Its timer ran out, so the relay deleted it and everything it held. Nobody can rejoin it. Create a new room and share its link.',
  },
  ended: {
    title: 'This room no longer exists',
    body: 'The relay no longer has it (it was destroyed, or the relay lost it in a restart). Nobody can rejoin it. Create a new room and share its link.',
  },
  'not-found': {
    title: 'This room does not exist',
    body: 'It has expired, was destroyed, or the link is incomplete. Ask whoever sent it for a new invite link.',
  },
  full: {
    title: 'This room is full',
    body: 'It already holds as many people as its creator allowed. Try again later, or ask for a new room.',
  },
  refused: {
    title: 'This invite no longer works',
    body: 'The relay refused it (it may have been a rotating invite that has moved on). Ask a member for a new link or to show you the current QR code.',
  },
  'invite-expired': {
    title: 'This invite QR code has expired',
    body: 'This room lets people in only with its current invite QR code, which changes about every 30 seconds and lets one person in. The one you used is older than that or was already used. Ask a member to show you the QR code again, and scan it then.',
  },
  damaged: {
    title: 'This invite link is damaged',
    body: 'Part of it is missing or changed, so it cannot open any room. Ask for the link again, or scan its QR code.',
  },
  destroyed: {
    title: 'Your ghost was destroyed',
    body: 'A self-destruct or panic (perhaps in another tab) ended your session, and with it this room. Enter again to start over.',
  },
  reloaded: {
    title: 'The room closed when the page reloaded',
    body: 'Ghostwire keeps rooms in this tab’s memory only, so a reload leaves them. Open the invite link again (or scan its QR code) to rejoin while the room lives.',
  },
  broken: {
    title: 'This room stopped working',
    body: 'The relay ended the connection and it cannot be resumed. Reload the page, then open the invite link again.',
  },
};
