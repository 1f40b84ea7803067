import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { verifyPow } from '../../protocol/src/pow.js';
import { chromiumAvailable, launchBrowser } from '../../tests/support/browser.js';
import { ROOT } from '../lib/spawn.js';
import { quantile } from '../lib/stats.js';

/** Chrome DevTools' "4× slowdown", the usual stand-in for a mid-range phone. */
export const CPU_THROTTLE = 4;

export interface BrowserResults {
  /** p50/p95/max: the workers' wall time × CPU_THROTTLE (Chromium does not throttle workers); unthrottled*: as measured. */
  pow: { challenges: number; difficulty: number; subPuzzles: number; workers: number; unthrottledP50Ms: number | null; unthrottledP95Ms: number | null; p50Ms: number | null; p95Ms: number | null; maxMs: number | null; verifyUsPerSolution: number | null };
  frame: { rounds: number; signed: boolean; crossOriginIsolated: boolean; sealP50Ms: number | null; sealP99Ms: number | null; openP50Ms: number | null; openP99Ms: number | null; unthrottled: { sealP50Ms: number | null; sealP99Ms: number | null; openP50Ms: number | null; openP99Ms: number | null } };
  /**
   * The same page at CPU_THROTTLE: a short loop (its unthrottled median beside it) and one hop through the
   * task queue. Their p99 is what the throttle adds to any main-thread task, whatever it does (see page-entry.ts).
   */
  throttleFloor: { spinUnthrottledP50Ms: number | null; spinP50Ms: number | null; spinP99Ms: number | null; hopP50Ms: number | null; hopP99Ms: number | null };
  /** MLS (issue 19), main thread at CPU_THROTTLE: the commit adding one member to a group of `groupSize`, and that joiner's processing of its Welcome. */
  mls: { groupSize: number; rounds: number; commitP50Ms: number | null; commitMaxMs: number | null; joinP50Ms: number | null; joinMaxMs: number | null };
}

/** The group an MLS commit is measured in (the "add one member to a group of 50"). */
export const MLS_BENCH_GROUP = 50;

/** A blank page on 127.0.0.1 (a secure context) that is cross-origin isolated, for fine-grained performance.now(). */
async function blankPage(workerJs: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    if (req.url === '/pow-worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...isolated });
      res.end(workerJs);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html', ...isolated });
    res.end('<!doctype html><title>ghostwire bench</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Node's cost of verifying one solution (the relay's side of PoW): the median of many timed verifies, in microseconds (a median, so a moment of waiting for a core does not skew it). */
function verifyCostUs(solutions: Array<{ challenge: string; nonces: number[] }>, ch: { difficulty: number; subPuzzles: number }): number | null {
  const rounds = 20;
  const samples: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    for (const s of solutions) {
      const t0 = process.hrtime.bigint();
      const ok = verifyPow({ ...ch, challenge: s.challenge }, s.nonces);
      const us = Number(process.hrtime.bigint() - t0) / 1000;
      if (!ok) throw new Error('a solution from the browser did not verify');
      if (r > 0) samples.push(us); // round 0 warms the JIT
    }
  }
  return quantile(samples, 0.5);
}

/** PoW solve time (the PWA's workers, scaled as above) and frame crypto (main thread) in headless Chromium at 4× CPU throttling (CDP Emulation.setCPUThrottlingRate). */
export async function browserBench(opts: { challenges: number; cryptoRounds: number; mlsRounds: number; pow: { difficulty: number; subPuzzles: number } }): Promise<BrowserResults | { unavailable: string }> {
  if (!chromiumAvailable()) return { unavailable: 'no Chromium on this machine' };
  const bundle = (entry: string) => build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'error' });
  const code = (await bundle(`${ROOT}bench/client/page-entry.ts`)).outputFiles[0]!.text;
  // The PWA's own solver worker, bundled as the app's build does (minified).
  const workerJs = (await bundle(`${ROOT}web/src/pow/worker.ts`)).outputFiles[0]!.text;
  const { server, url } = await blankPage(workerJs);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.addScriptTag({ content: code });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    const { difficulty, subPuzzles } = opts.pow;
    // Chromium's CPU throttling reaches the page's main thread only: sent to a worker target, Emulation.setCPUThrottlingRate
    // answers "Operation is only supported for pages, not workers". The solvers run in workers, so their wall time is
    // measured unthrottled and multiplied by CPU_THROTTLE (the work is CPU-bound; posting to the page is a few messages).
    const { solves, workers } = await page.evaluate(
      ([n, d, k, w]) => (globalThis as unknown as { benchPow(n: number, d: number, k: number, w: string): Promise<{ solves: Array<{ challenge: string; ms: number; nonces: number[] }>; workers: number }> }).benchPow(n, d, k, w),
      [opts.challenges, difficulty, subPuzzles, `${url}pow-worker.js`] as const,
    );
    const crypto = await page.evaluate(
      (n) => (globalThis as unknown as { benchFrameCrypto(n: number): Promise<{ sealMs: number[]; openMs: number[]; signed: boolean; isolated: boolean }> }).benchFrameCrypto(n),
      opts.cryptoRounds,
    );
    type Floor = { spinMs: number[]; hopMs: number[] };
    const floorOf = (n: number) => page.evaluate((k) => (globalThis as unknown as { benchThrottleFloor(n: number): Promise<Floor> }).benchThrottleFloor(k), n);
    const floor = await floorOf(opts.cryptoRounds);
    // The group is built unthrottled (it is set-up, not what is measured), then timed at CPU_THROTTLE.
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // Unthrottled, for what the frame's work itself costs (the figures above add the throttle's pauses).
    const cryptoFree = await page.evaluate(
      (n) => (globalThis as unknown as { benchFrameCrypto(n: number): Promise<{ sealMs: number[]; openMs: number[] }> }).benchFrameCrypto(n),
      opts.cryptoRounds,
    );
    const floorFree = await floorOf(opts.cryptoRounds);
    await page.evaluate((n) => (globalThis as unknown as { benchMlsSetup(n: number): Promise<unknown> }).benchMlsSetup(n), MLS_BENCH_GROUP);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    const mls = await page.evaluate(
      (n) => (globalThis as unknown as { benchMlsJoin(n: number): Promise<{ commitMs: number[]; joinMs: number[] }> }).benchMlsJoin(n),
      opts.mlsRounds,
    );
    const ms = solves.map((s) => s.ms * CPU_THROTTLE);
    const raw = solves.map((s) => s.ms);
    return {
      pow: { challenges: solves.length, difficulty, subPuzzles, workers, unthrottledP50Ms: quantile(raw, 0.5), unthrottledP95Ms: quantile(raw, 0.95), p50Ms: quantile(ms, 0.5), p95Ms: quantile(ms, 0.95), maxMs: quantile(ms, 1), verifyUsPerSolution: verifyCostUs(solves, opts.pow) },
      frame: {
        rounds: crypto.sealMs.length,
        signed: crypto.signed,
        crossOriginIsolated: crypto.isolated,
        sealP50Ms: quantile(crypto.sealMs, 0.5),
        sealP99Ms: quantile(crypto.sealMs, 0.99),
        openP50Ms: quantile(crypto.openMs, 0.5),
        openP99Ms: quantile(crypto.openMs, 0.99),
        unthrottled: { sealP50Ms: quantile(cryptoFree.sealMs, 0.5), sealP99Ms: quantile(cryptoFree.sealMs, 0.99), openP50Ms: quantile(cryptoFree.openMs, 0.5), openP99Ms: quantile(cryptoFree.openMs, 0.99) },
      },
      throttleFloor: {
        spinUnthrottledP50Ms: quantile(floorFree.spinMs, 0.5),
        spinP50Ms: quantile(floor.spinMs, 0.5),
        spinP99Ms: quantile(floor.spinMs, 0.99),
        hopP50Ms: quantile(floor.hopMs, 0.5),
        hopP99Ms: quantile(floor.hopMs, 0.99),
      },
      mls: {
        groupSize: MLS_BENCH_GROUP,
        rounds: mls.commitMs.length,
        commitP50Ms: quantile(mls.commitMs, 0.5),
        commitMaxMs: quantile(mls.commitMs, 1),
        joinP50Ms: quantile(mls.joinMs, 0.5),
        joinMaxMs: quantile(mls.joinMs, 1),
      },
    };
  } finally {
    await browser.close();
    server.close();
  }
}
