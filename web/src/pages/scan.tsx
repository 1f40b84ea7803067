import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { openInvite, parseInvite } from '../invite.js';
import { navigate } from '../router.js';
import { scanQr, ScanError } from '../scan/scanner.js';

/** Camera QR scanning: joins in-app, so the secret never becomes a URL in the browser history. */
export function Scan() {
  const video = useRef<HTMLVideoElement>(null);
  const status = useSignal('Starting the camera…');
  const failed = useSignal(false);

  useEffect(() => {
    const ctl = new AbortController();
    const run = async () => {
      for (;;) {
        status.value = 'Point the camera at a Ghostwire QR code.';
        const text = await scanQr(video.current!, ctl.signal);
        const invite = parseInvite(text, location.origin);
        if (invite) { openInvite(invite); return; }
        status.value = 'That QR code is not a Ghostwire invite for this relay. Try another.';
        await new Promise((r) => setTimeout(r, 1500));
      }
    };
    run().catch((err: unknown) => {
      if (ctl.signal.aborted) return;
      failed.value = true;
      status.value = err instanceof ScanError ? err.message : 'Scanning failed. Reload the page and try again.';
    });
    return () => ctl.abort();
  }, []);

  return (
    <main class="max-w-xl mx-auto p-4 flex flex-col gap-3">
      <h1 class="text-2xl m-0">Scan an invite</h1>
      <p class="m-0 text-mute">Scanning here keeps the room's secret out of your browser's history; opening a link does not.</p>
      <video ref={video} class="w-full rounded-xl bg-panel aspect-[4/3] object-cover" muted playsInline aria-label="Camera preview" />
      <p role="status" aria-live="polite" class={`m-0 ${failed.value ? 'text-bad' : ''}`} data-testid="scan-status">
        {status.value}
      </p>
      <div>
        <button class="btn-quiet" onClick={() => navigate('/')}>Cancel</button>
      </div>
    </main>
  );
}
