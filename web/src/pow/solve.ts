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

/** One worker per core the browser reports, never more than there are sub-puzzles. */
export function workerCount(subPuzzles: number, cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency): number {
  return Math.max(1, Math.min(subPuzzles, Number.isInteger(cores) && cores > 0 ? cores : 1));
}

/** Sub-puzzles queued in each worker: it starts the next without waiting for the page (busy, or slowed, on a phone) to answer. */
const QUEUE_DEPTH = 2;

/**
 * Solves a relay challenge in Web Workers, one per core: the sub-puzzles
 * are independent, so each worker gets the next unsolved one as it
 * finishes one, with one more always queued (no worker idles while another
 * has a long one queued, nor while the page is slow to answer). Reports
 * progress as sub-puzzles solved and hashes done by all of them, and stops
 * at once (terminating every worker) when `signal` aborts, rejecting with
 * PowCancelled. Resolves with the nonces and the work done.
 */
export function solvePowInWorker(
  challenge: Pick<PowChallenge, 'challenge' | 'difficulty' | 'subPuzzles'>,
  onProgress?: (p: PowWorkerProgress) => void,
  signal?: AbortSignal,
  createWorker: WorkerFactory = defaultWorker,
  workers = workerCount(challenge.subPuzzles),
): Promise<PowSolved> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PowCancelled());
    const ch = { challenge: challenge.challenge, difficulty: challenge.difficulty, subPuzzles: challenge.subPuzzles };
    const total = ch.subPuzzles;
    const start = performance.now();
    const nonces: number[] = new Array<number>(total);
    /** Hashes of solved sub-puzzles, and of each one being solved now (by index). */
    let doneHashes = 0;
    let solved = 0;
    let next = 0;
    const current = new Map<number, number>();
    const pool: Worker[] = [];
    let over = false;
    const report = () => {
      if (!onProgress) return;
      let hashes = doneHashes;
      for (const h of current.values()) hashes += h;
      const ms = performance.now() - start;
      onProgress({ solved, total, hashes, hashesPerSecond: ms > 0 ? (hashes / ms) * 1000 : 0 });
    };
    const finish = (fn: () => void) => {
      if (over) return;
      over = true;
      for (const w of pool) w.terminate();
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => finish(() => reject(new PowCancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    const give = (worker: Worker) => {
      if (next >= total) return;
      worker.postMessage({ type: 'solve', challenge: ch, index: next++ } satisfies PowWorkerRequest);
    };
    const fail = (message: string) => finish(() => reject(new Error(message)));
    for (let k = 0; k < Math.min(workers, total); k++) {
      const worker = createWorker();
      pool.push(worker);
      worker.onerror = (ev) => fail(`The proof-of-work solver failed: ${ev.message || 'worker error'}. Reload the page.`);
      worker.onmessage = (ev: MessageEvent) => {
        const msg = powWorkerReplySchema.safeParse(ev.data);
        if (!msg.success || over) return;
        const m = msg.data;
        switch (m.type) {
          case 'progress':
            current.set(m.index, m.hashes);
            report();
            return;
          case 'solved':
            if (m.index >= total || nonces[m.index] !== undefined) return;
            nonces[m.index] = m.nonce;
            doneHashes += m.hashes;
            current.delete(m.index);
            solved++;
            report();
            if (solved === total) {
              finish(() => resolve({ nonces, hashes: doneHashes, ms: performance.now() - start }));
              return;
            }
            give(worker);
            return;
          case 'error':
            fail(m.message);
            return;
          default: {
            const never: never = m;
            return never;
          }
        }
      };
      for (let q = 0; q < QUEUE_DEPTH; q++) give(worker);
    }
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
