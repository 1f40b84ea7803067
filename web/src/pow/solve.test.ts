import { describe, expect, it } from 'vitest';
import { solvePow, solveSubPuzzleSteps, verifyPow } from '../../../protocol/src/pow.js';
import { powWorkerRequestSchema, type PowWorkerReply } from './messages.js';
import { PowCancelled, solvePowInWorker, workerCount, type PowWorkerProgress } from './solve.js';

/** Stands in for worker.ts: answers each request on a later task, with one progress report first. */
class FakeWorker {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly asked: number[] = [];
  postMessage(data: unknown): void {
    const req = powWorkerRequestSchema.parse(data);
    this.asked.push(req.index);
    const steps = solveSubPuzzleSteps(req.challenge, req.index);
    let r = steps.next();
    while (!r.done) r = steps.next();
    const { nonce, hashes } = r.value;
    const send = (m: PowWorkerReply) => setTimeout(() => !this.terminated && this.onmessage?.({ data: m } as MessageEvent), 0);
    send({ type: 'progress', index: req.index, hashes: Math.floor(hashes / 2) });
    send({ type: 'solved', index: req.index, nonce, hashes });
  }
  terminate(): void {
    this.terminated = true;
  }
}

const ch = { challenge: 'pool-challenge-0123456789abcdef', difficulty: 12, subPuzzles: 8 };

describe('solvePowInWorker', () => {
  it('hands the sub-puzzles out across the workers and returns the same nonces as one thread', async () => {
    const pool: FakeWorker[] = [];
    const progress: PowWorkerProgress[] = [];
    const r = await solvePowInWorker(ch, (p) => progress.push(p), undefined, () => {
      const w = new FakeWorker();
      pool.push(w);
      return w as unknown as Worker;
    }, 3);
    expect(r.nonces).toEqual(solvePow(ch));
    expect(verifyPow(ch, r.nonces)).toBe(true);
    expect(pool).toHaveLength(3);
    expect(pool.flatMap((w) => w.asked).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pool.every((w) => w.terminated)).toBe(true);
    expect(r.hashes).toBe(r.nonces.reduce((s, n) => s + n + 1, 0));
    // Honest progress: never more solved than there are, never backwards, and all of them at the end.
    expect(progress.map((p) => p.solved)).toEqual([...progress.map((p) => p.solved)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ solved: 8, total: 8, hashes: r.hashes });
  });

  it('terminates every worker and rejects with PowCancelled when aborted', async () => {
    const pool: FakeWorker[] = [];
    const ac = new AbortController();
    const p = solvePowInWorker(ch, () => ac.abort(), ac.signal, () => {
      const w = new FakeWorker();
      pool.push(w);
      return w as unknown as Worker;
    }, 2);
    await expect(p).rejects.toBeInstanceOf(PowCancelled);
    expect(pool.every((w) => w.terminated)).toBe(true);
  });

  it('runs one worker per core, at most one per sub-puzzle', () => {
    expect(workerCount(16, 8)).toBe(8);
    expect(workerCount(4, 8)).toBe(4);
    expect(workerCount(16, 0)).toBe(1);
    expect(workerCount(16, Number.NaN)).toBe(1);
  });
});
