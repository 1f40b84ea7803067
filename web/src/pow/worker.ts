import { solveSubPuzzleSteps } from '../../../protocol/src/pow.js';
import type { PowWorkerReply } from './messages.js';
import { parseSolveRequest } from './request.js';

/**
 * One proof-of-work solver, off the main thread so the page stays
 * responsive; the page runs one per core and hands each the next
 * sub-puzzle (pow/solve.ts). SHA-256 is the prefix-midstate one
 * (protocol/src/crypto/nonce-hasher.ts): synchronous (WebCrypto's per-call
 * promise is far too slow for millions of tiny hashes) and about twice
 * @noble/hashes' speed here. Cancellation is by terminate() from the page:
 * the loop never yields to the event loop, which is what makes it fast.
 */
interface WorkerScope {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(msg: PowWorkerReply): void;
}
const scope = self as unknown as WorkerScope;

/** At most this often a progress report crosses to the page. */
const PROGRESS_INTERVAL_MS = 100;
/** Hashes between clock reads. */
const SLICE_HASHES = 4096;

scope.onmessage = (ev: MessageEvent) => {
  const req = parseSolveRequest(ev.data);
  if (!req) return scope.postMessage({ type: 'error', message: 'The proof-of-work request was not understood. Reload the page.' });
  const { challenge, index } = req;
  let last = performance.now();
  try {
    const steps = solveSubPuzzleSteps(challenge, index, undefined, SLICE_HASHES);
    for (;;) {
      const r = steps.next();
      if (r.done) return scope.postMessage({ type: 'solved', index, nonce: r.value.nonce, hashes: r.value.hashes });
      const now = performance.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        scope.postMessage({ type: 'progress', index, hashes: r.value });
      }
    }
  } catch (err) {
    scope.postMessage({ type: 'error', message: (err as Error).message });
  }
};
