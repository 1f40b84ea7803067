import { QrCode } from '../qr/qr-code.js';

/** The invite link and its QR code. Whoever has either can join. */
export function SharePanel({ link }: { link: string }) {
  return (
    <>
      <section class="p-3 border-b border-line flex gap-2 items-center">
        <label class="text-sm text-mute" for="invite">
          Invite link
        </label>
        <input id="invite" class="field flex-1 text-sm" readOnly autocomplete="off" value={link} aria-label="Invite link" onFocus={(e) => (e.currentTarget).select()} />
        <button class="btn-quiet" onClick={() => void navigator.clipboard?.writeText(link)}>
          Copy
        </button>
      </section>
      <details class="px-3 py-2 border-b border-line">
        <summary class="cursor-pointer text-sm">Show invite QR code</summary>
        <div class="p-3 flex flex-col items-center gap-2">
          <QrCode text={link} label="QR code of the invite link" />
          <p class="m-0 text-xs text-mute text-center">Anyone who scans this can join. Scan it in Ghostwire (Scan) to keep it out of browser history.</p>
        </div>
      </details>
    </>
  );
}
