import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { INVITE_TICKET_TTL_SECONDS } from '../../../protocol/src/limits.js';
import type { RoomSession } from '../models/room.js';
import { RotatingInvite } from '../models/rotating-invite.js';
import { QrCode } from '../qr/qr-code.js';
import { shielded } from '../privacy/shield.js';
import { CopyButton } from './copy-button.js';

/** A share target for the invite: the Web Share API where the browser has one (phones), else nothing. */
function canShare(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.share === 'function';
}

/**
 * The invite link and its QR code: whoever has either can join. Both carry
 * the room secret, so they blur with the messages when the screen shield acts
 * (best effort) and refuse the context menu. In a room with rotating invites
 * they also carry a fresh ticket, replaced before it runs out.
 */
export function InvitePanel({ room, onDone }: { room: RoomSession; onDone?: () => void }) {
  const rotating = room.invites.value;
  const qr = useSignal(rotating);
  const shareError = useSignal<string | null>(null);
  const now = useSignal(Date.now());
  const invite = useMemo(() => new RotatingInvite({ mint: () => room.mintTicket(), linkFor: (t) => room.linkWith(t) }), [room]);
  // Only a member can mint tickets: start once this device is in the room, stop (and forget the link) when it drops out.
  const joined = room.connection.value.phase === 'open';
  useEffect(() => {
    if (!rotating || !joined) return;
    invite.start();
    const tick = setInterval(() => (now.value = Date.now()), 1000);
    return () => {
      clearInterval(tick);
      invite.stop();
    };
  }, [invite, rotating, joined]);

  const current = invite.state.value;
  // The ticker only makes the countdown re-render; the clock is read now, so a fresh ticket never shows more than its interval.
  void now.value;
  const left = Math.max(0, Math.ceil((current.refreshAt - Date.now()) / 1000));
  const link = rotating ? current.link : room.link;
  const share = async (url: string) => {
    shareError.value = null;
    try {
      await navigator.share({ title: 'Ghostwire room', url });
    } catch (err) {
      // Closing the share sheet is not an error worth a sentence.
      if (!(err instanceof DOMException && err.name === 'AbortError')) shareError.value = 'Sharing failed. Copy the link instead.';
    }
  };
  return (
    <section aria-labelledby="invite-h" class="p-3 border-b border-line flex flex-col gap-2" data-testid="invite-panel">
      <div class="flex items-center gap-2">
        <h2 id="invite-h" class="text-base m-0 flex-1">
          Invite people
        </h2>
        {onDone && (
          <button type="button" class="btn-quiet" onClick={onDone}>
            Done
          </button>
        )}
      </div>
      {rotating ? (
        <p class="m-0 text-sm text-mute">
          Rotating invite: this QR code and link let one person in, and only for up to {INVITE_TICKET_TTL_SECONDS} seconds. They change on their own, so a photo or a
          forwarded copy of an old one cannot join. Show the QR code to each person as they scan it.
        </p>
      ) : (
        <p class="m-0 text-sm text-mute">Anyone with this link or QR code can join while the room lives. Send it only to the people you mean.</p>
      )}
      {!room.mls && !room.isPublic.value && (
        <p class="m-0 text-sm text-warn" data-testid="invite-link-key">
          This room has no forward secrecy: the link is also its key. Whoever has it, now or later, can read everything said here from a recording of the room.
        </p>
      )}
      {rotating && (
        <p class="m-0 text-sm" data-testid="invite-refresh">
          {!joined
            ? 'The invite appears once this device is connected to the room.'
            : current.link
              ? `Refreshes in ${left} s`
              : 'Getting a fresh invite from the relay…'}
        </p>
      )}
      {rotating && current.error && (
        <p role="status" class="m-0 text-sm text-warn">
          {current.error}
        </p>
      )}
      {link && (
        <>
          <div data-sensitive class={`flex gap-2 items-center ${shielded.value ? 'blur-md' : ''}`}>
            <input id="invite" class="field flex-1 text-sm" readOnly autocomplete="off" value={link} aria-label="Invite link" onFocus={(e) => (e.currentTarget).select()} />
          </div>
          <div class="flex flex-wrap gap-2">
            {canShare() && (
              <button type="button" class="btn" onClick={() => void share(link)}>
                Share…
              </button>
            )}
            <CopyButton text={link} label="Copy link" />
            <button type="button" class="btn-quiet" aria-expanded={qr.value} onClick={() => (qr.value = !qr.value)}>
              {qr.value ? 'Hide QR code' : 'Show invite QR code'}
            </button>
          </div>
        </>
      )}
      {shareError.value && (
        <p role="alert" class="m-0 text-sm text-bad">
          {shareError.value}
        </p>
      )}
      {link && qr.value && (
        <div data-sensitive class={`p-2 flex flex-col items-center gap-2 ${shielded.value ? 'blur-md' : ''}`}>
          <QrCode text={link} label="QR code of the invite link" />
          <p class="m-0 text-xs text-mute text-center">Scan it in Ghostwire (Scan a QR code) to keep it out of browser history.</p>
        </div>
      )}
      {shielded.value && (
        <p class="m-0 text-xs text-warn" data-testid="shield-note">
          Blurred while this window is not in front (best effort: it cannot stop a camera or another app).
        </p>
      )}
    </section>
  );
}
