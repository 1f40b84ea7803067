import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { userMessage } from '../user-message.js';

/** Said when a person cancels the proof of work (issue 6's failure sentences). */
export const POW_CANCELLED_TEXT = 'Proof of work was cancelled. Press Enter anonymously to try again.';

/**
 * "Enter anonymously": makes this tab's ghost before anything else. The
 * proof of work runs in a Web Worker with a progress bar and a Cancel
 * button. The ghost model loads on demand (it pulls in crypto and schemas
 * the landing page does not need before this click).
 */
export function EnterGhost() {
  const progress = useSignal<{ solved: number; total: number } | null>(null);
  const error = useSignal<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const enter = async () => {
    const ac = new AbortController();
    abort.current = ac;
    error.value = null;
    progress.value = { solved: 0, total: 1 };
    try {
      const [{ ensureGhost }, { PowCancelled }] = await Promise.all([import('../models/ghost.js'), import('../pow/solve.js')]);
      try {
        await ensureGhost(location.origin, fetch, { signal: ac.signal, onProgress: (p) => (progress.value = { solved: p.solved, total: p.total }) });
      } catch (err) {
        error.value = err instanceof PowCancelled || ac.signal.aborted ? POW_CANCELLED_TEXT : userMessage(err, 'Entering failed. Check your connection and press Enter anonymously again.');
      }
    } catch {
      error.value = 'Part of the app could not be loaded. Check your connection and reload the page.';
    } finally {
      if (abort.current === ac) abort.current = null;
      progress.value = null;
    }
  };

  const p = progress.value;
  return (
    <section aria-label="Enter" class="flex flex-col gap-3">
      {!p ? (
        <div>
          <button class="btn text-lg" onClick={() => void enter()}>
            Enter anonymously
          </button>
        </div>
      ) : (
        <div class="flex flex-col gap-2">
          <p class="m-0 text-sm text-mute" id="pow-label">
            Proving this browser did some work (no account, no personal data): {p.solved} of {p.total} puzzles solved.
          </p>
          <div
            role="progressbar"
            aria-labelledby="pow-label"
            aria-valuemin={0}
            aria-valuemax={p.total}
            aria-valuenow={p.solved}
            class="h-2 rounded bg-panel border border-line overflow-hidden"
          >
            <div class="h-full bg-ghost" style={{ width: `${Math.round((p.solved / Math.max(1, p.total)) * 100)}%` }} />
          </div>
          <div>
            <button class="btn-quiet" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error.value && (
        <p role="alert" class="m-0 text-bad">
          {error.value}
        </p>
      )}
    </section>
  );
}
