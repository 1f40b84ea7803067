import { useSignal } from '@preact/signals';
import { QrCode } from '../qr/qr-code.js';
import { shielded } from '../privacy/shield.js';
import { CopyButton } from './copy-button.js';

/** A share target for the invite: the Web Share API where the browser has one (phones), else nothing. */
function canShare(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.share === 'function';
}

/**
 * The invite link and, on demand, its QR code: whoever has either can join.
 * Both carry the room secret, so they blur with the messages when the screen
 * shield acts (best effort) and refuse the context menu.
 */
export function InvitePanel({ link, onDone }: { link: string; onDone?: () => void }) {
  const qr = useSignal(false);
  const shareError = useSignal<string | null>(null);
  const share = async () => {
    shareError.value = null;
    try {
      await navigator.share({ title: 'Ghostwire room', url: link });
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
      <p class="m-0 text-sm text-mute">Anyone with this link or QR code can join while the room lives. Send it only to the people you mean.</p>
      <div data-sensitive class={`flex gap-2 items-center ${shielded.value ? 'blur-md' : ''}`}>
        <input id="invite" class="field flex-1 text-sm" readOnly autocomplete="off" value={link} aria-label="Invite link" onFocus={(e) => (e.currentTarget).select()} />
      </div>
      <div class="flex flex-wrap gap-2">
        {canShare() && (
          <button type="button" class="btn" onClick={() => void share()}>
            Share…
          </button>
        )}
        <CopyButton text={link} label="Copy link" />
        <button type="button" class="btn-quiet" aria-expanded={qr.value} onClick={() => (qr.value = !qr.value)}>
          {qr.value ? 'Hide QR code' : 'Show invite QR code'}
        </button>
      </div>
      {shareError.value && (
        <p role="alert" class="m-0 text-sm text-bad">
          {shareError.value}
        </p>
      )}
      {qr.value && (
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
