import type { PowChallenge } from '../../../protocol/src/messages/pow.js';
import { powWorkerReplySchema, type PowWorkerRequest } from './messages.js';

/** The solve was cancelled (the AbortSignal fired); nothing was sent anywhere. */
export class PowCancelled extends Error {
  override name = 'PowCancelled';
  readonly reason = 'cancelled' as const;
  constructor() {
    super('Proof of work was cancelled.');
  }
}

export interface PowWorkerProgress {
  /** Sub-puzzles solved so far, of `total`. */
  solved: number;
  total: number;
  hashes: number;
  hashesPerSecond: number;
}

/** What the worker reports when done: the nonces plus how much work it took. */
export interface PowSolved {
  nonces: number[];
  hashes: number;
  ms: number;
}

export type WorkerFactory = () => Worker;

/** Vite bundles the worker from this exact `new Worker(new URL(...))` form. */
const defaultWorker: WorkerFactory = () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

/**
 * Solves a relay challenge in a Web Worker, reporting progress, and stops
 * at once (terminating the worker) when `signal` aborts, rejecting with
 * PowCancelled. Resolves with the nonces and the work done.
 */
export function solvePowInWorker(
  challenge: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>,
  onProgress?: (p: PowWorkerProgress) => void,
  signal?: AbortSignal,
  createWorker: WorkerFactory = defaultWorker,
): Promise<PowSolved> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PowCancelled());
    const worker = createWorker();
    const finish = (fn: () => void) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(new PowCancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.onerror = (ev) => finish(() => reject(new Error(`The proof-of-work solver failed: ${ev.message || 'worker error'}. Reload the page.`)));
    worker.onmessage = (ev: MessageEvent) => {
      const msg = powWorkerReplySchema.safeParse(ev.data);
      if (!msg.success) return;
      const m = msg.data;
      switch (m.type) {
        case 'progress':
          onProgress?.({ solved: m.solved, total: m.total, hashes: m.hashes, hashesPerSecond: m.ms > 0 ? (m.hashes / m.ms) * 1000 : 0 });
          return;
        case 'done':
          onProgress?.({ solved: challenge.subPuzzles, total: challenge.subPuzzles, hashes: m.hashes, hashesPerSecond: m.ms > 0 ? (m.hashes / m.ms) * 1000 : 0 });
          { finish(() => resolve({ nonces: m.nonces, hashes: m.hashes, ms: m.ms })); return; }
        case 'error':
          { finish(() => reject(new Error(m.message))); return; }
        default: {
          const never: never = m;
          return never;
        }
      }
    };
    worker.postMessage({ type: 'solve', challenge: { challenge: challenge.challenge, difficulty: challenge.difficulty, subPuzzles: challenge.subPuzzles } } satisfies PowWorkerRequest);
  });
}

/** The drop-in for ghost creation (issue 3): just the nonces. */
export async function solveInWorker(
  challenge: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>,
  onProgress?: (p: PowWorkerProgress) => void,
  signal?: AbortSignal,
): Promise<number[]> {
  return (await solvePowInWorker(challenge, onProgress, signal)).nonces;
}
