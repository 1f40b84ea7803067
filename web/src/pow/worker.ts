import { solvePowSteps } from '../../../protocol/src/pow.js';
import { powWorkerRequestSchema, type PowWorkerReply } from './messages.js';

/**
 * The proof-of-work solver, off the main thread so the page stays responsive.
 * SHA-256 comes from @noble/hashes (synchronous; WebCrypto's per-call promise
 * is far too slow for millions of tiny hashes). Cancellation is by
 * terminate() from the page: the loop never yields to the event loop, which
 * is what makes it fast.
 */
interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(msg: PowWorkerReply): void;
}
const scope = self as unknown as WorkerScope;

/** At most this often a progress report crosses to the page. */
const PROGRESS_INTERVAL_MS = 100;

scope.onmessage = (ev: MessageEvent) => {
  const req = powWorkerRequestSchema.safeParse(ev.data);
  if (!req.success) return scope.postMessage({ type: 'error', message: 'The proof-of-work request was not understood. Reload the page.' });
  const start = performance.now();
  let last = start;
  let hashes = 0;
  try {
    const steps = solvePowSteps(req.data.challenge);
    for (;;) {
      const r = steps.next();
      const now = performance.now();
      if (r.done) return scope.postMessage({ type: 'done', nonces: r.value, hashes, ms: now - start });
      hashes = r.value.hashes;
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        scope.postMessage({ type: 'progress', ...r.value, ms: now - start });
      }
    }
  } catch (err) {
    scope.postMessage({ type: 'error', message: (err as Error).message });
  }
};
