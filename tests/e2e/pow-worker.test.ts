import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPow } from '../../protocol/src/pow.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { bundleForBrowser, HTML_PAGE, JS, serveFiles } from '../support/static-server.js';

const haveChromium = chromiumAvailable();
const page = fileURLToPath(new URL('./fixtures/pow-page.ts', import.meta.url));
const worker = fileURLToPath(new URL('../../web/src/pow/worker.ts', import.meta.url));

interface Solved {
  nonces: number[];
  hashes: number;
  ms: number;
  progress: { solved: number; total: number; hashes: number }[];
}

describe.skipIf(!haveChromium)('proof-of-work solver in a Web Worker (real Chromium)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;
  let tab: Page;

  beforeAll(async () => {
    // The client creates `new Worker(new URL('./worker.ts', import.meta.url))`: serve the bundled worker at that URL.
    server = await serveFiles({
      '/': HTML_PAGE('/pow/page.js'),
      '/pow/page.js': JS(await bundleForBrowser(page)),
      '/pow/worker.ts': JS(await bundleForBrowser(worker)),
    });
    browser = await launchBrowser();
    tab = await browser.newPage();
    await tab.goto(`${server.url}/`);
    await tab.waitForFunction(() => 'gw' in globalThis);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('solves a challenge with progress, and the relay-side verifier accepts it; prints hashes per second', async () => {
    const ch = { challenge: 'bench-challenge-0123456789abcdef', difficulty: 20, subPuzzles: 16 };
    const solved = await tab.evaluate(async (c) => {
      const gw = (globalThis as unknown as { gw: { solvePowInWorker: (...a: unknown[]) => Promise<Omit<Solved, 'progress'>> } }).gw;
      const progress: Solved['progress'] = [];
      const r = await gw.solvePowInWorker(c, (p: Solved['progress'][number]) => progress.push({ solved: p.solved, total: p.total, hashes: p.hashes }));
      return { ...r, progress };
    }, ch);
    expect(verifyPow(ch, solved.nonces)).toBe(true);
    expect(solved.progress.at(-1)).toMatchObject({ solved: 16, total: 16 });
    expect(solved.hashes).toBeGreaterThan(0);
    const hps = Math.round((solved.hashes / solved.ms) * 1000);
    // Reported, never asserted (the machine is shared): see the issue 5 report.
    console.log(`[pow] Chromium Web Workers (one per core), prefix-midstate SHA-256: ${solved.hashes} hashes in ${Math.round(solved.ms)} ms = ${hps} hashes/s (difficulty ${ch.difficulty}, ${ch.subPuzzles} sub-puzzles)`);
  });

  it('stops at once when cancelled and says so', async () => {
    const r = await tab.evaluate(async () => {
      const gw = (globalThis as unknown as { gw: { solvePowInWorker: (...a: unknown[]) => Promise<unknown>; PowCancelled: new () => Error } }).gw;
      const ac = new AbortController();
      const started = performance.now();
      const p = gw.solvePowInWorker({ challenge: 'cancel-challenge-0123456789abcdef', difficulty: 36, subPuzzles: 1 }, () => ac.abort(), ac.signal);
      try {
        await p;
        return { outcome: 'solved' };
      } catch (err) {
        return { outcome: (err as { reason?: string }).reason, message: (err as Error).message, isCancelled: err instanceof gw.PowCancelled, ms: performance.now() - started };
      }
    });
    expect(r).toMatchObject({ outcome: 'cancelled', message: 'Proof of work was cancelled.', isCancelled: true });
  });
});
