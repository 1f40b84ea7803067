import { useSignal } from '@preact/signals';
import { shielded } from '../../privacy/shield.js';
import { QrDetails } from './qr-details.js';

/** The direct link while nobody has opened it yet: it is the session's secret, so it blurs with the messages. */
export function LinkPanel({ link }: { link: string }) {
  const copied = useSignal(false);
  const copy = () =>
    void navigator.clipboard
      ?.writeText(link)
      .then(() => {
        copied.value = true;
        setTimeout(() => (copied.value = false), 2000);
      })
      .catch(() => undefined);
  const canShare = typeof navigator.share === 'function';
  return (
    <section aria-label="Invite" class={`p-3 border-b border-line flex flex-col gap-2 ${shielded.value ? 'blur-md' : ''}`}>
      <p class="m-0 text-sm">Send this link to one person. Anyone who has it can join, so send it privately; it stops working once you both are in.</p>
      <div class="flex gap-2">
        <input id="direct-link" class="field flex-1 text-sm min-h-11" readOnly value={link} aria-label="Direct link" autocomplete="off" onFocus={(e) => (e.currentTarget).select()} />
        <button class="btn-quiet min-h-11" onClick={copy} aria-live="polite">
          {copied.value ? 'Copied' : 'Copy'}
        </button>
        {canShare && (
          <button class="btn-quiet min-h-11" onClick={() => void navigator.share({ url: link }).catch(() => undefined)}>
            Share
          </button>
        )}
      </div>
      <QrDetails summary="Show the link as a QR code (anyone who sees it can join)" text={link} label="Join QR code" size={200} />
    </section>
  );
}
