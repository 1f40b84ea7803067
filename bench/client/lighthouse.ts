import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumPath, CHROMIUM_ARGS } from '../../tests/support/browser.js';
import { startRelayProcess } from '../../tests/support/relay-process.js';

export interface LighthouseResult {
  performance: number | null;
  accessibility: number | null;
  /** Runs it took: a run that ends in a Lighthouse runtime error (seen: NO_NAVSTART under load) is tried once more. */
  attempts: number;
  firstContentfulPaintMs: number | null;
  largestContentfulPaintMs: number | null;
  totalBlockingTimeMs: number | null;
  cumulativeLayoutShift: number | null;
  speedIndexMs: number | null;
  /** Where total blocking time comes from: the longest main-thread tasks (what ran, from when, how long), */
  longTasks: Array<{ url: string; startMs: number; durationMs: number }>;
  /** the main thread's time by kind of work, */
  mainThread: Array<{ group: string; ms: number }>;
  /** and script evaluation by file. */
  bootup: Array<{ url: string; scriptingMs: number; parseCompileMs: number }>;
}

type Items = Array<Record<string, unknown>>;
const items = (lhr: { audits: Record<string, { details?: unknown } | undefined> }, id: string): Items =>
  ((lhr.audits[id]?.details as { items?: Items } | undefined)?.items ?? []);
const n = (v: unknown) => (typeof v === 'number' ? Math.round(v) : 0);
const path = (v: unknown) => (typeof v === 'string' ? v.replace(/^https?:\/\/[^/]+/, '') || v : String(v));

/**
 * Lighthouse's performance and accessibility categories on the landing page served by the built
 * relay, with its default mobile preset (simulated slow 4G, 4× CPU slowdown,
 * a phone-sized viewport), driving Debian's Chromium headless.
 */
export async function lighthouseLanding(): Promise<LighthouseResult | { unavailable: string }> {
  const chromePath = chromiumPath();
  if (!chromePath) return { unavailable: 'Lighthouse needs a Chromium path (GHOSTWIRE_CHROMIUM); PLAYWRIGHT_BROWSER=bundled is not supported here' };
  const relay = await startRelayProcess({ LOG_LEVEL: 'info' });
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  try {
    const run = () => lighthouse(`${relay.url}/`, { port: chrome.port, onlyCategories: ['performance', 'accessibility'], output: 'json', logLevel: 'error' });
    let attempts = 1;
    let r = await run();
    if (r?.lhr.runtimeError) {
      attempts++;
      r = await run();
    }
    if (!r) return { unavailable: 'Lighthouse returned no result' };
    const lhr = r.lhr;
    if (lhr.runtimeError) return { unavailable: `Lighthouse (${attempts} runs): ${lhr.runtimeError.message}` };
    const num = (id: string) => lhr.audits[id]?.numericValue ?? null;
    const pct = (score: number | null | undefined) => (typeof score === 'number' ? Math.round(score * 100) : null);
    return {
      performance: pct(lhr.categories.performance?.score),
      accessibility: pct(lhr.categories.accessibility?.score),
      attempts,
      firstContentfulPaintMs: num('first-contentful-paint'),
      largestContentfulPaintMs: num('largest-contentful-paint'),
      totalBlockingTimeMs: num('total-blocking-time'),
      cumulativeLayoutShift: num('cumulative-layout-shift'),
      speedIndexMs: num('speed-index'),
      longTasks: items(lhr, 'long-tasks').slice(0, 8).map((t) => ({ url: path(t.url), startMs: n(t.startTime), durationMs: n(t.duration) })),
      mainThread: items(lhr, 'mainthread-work-breakdown').map((t) => ({ group: String(t.groupLabel ?? t.group), ms: n(t.duration) })),
      bootup: items(lhr, 'bootup-time').slice(0, 6).map((t) => ({ url: path(t.url), scriptingMs: n(t.scripting), parseCompileMs: n(t.scriptParseCompile) })),
    };
  } finally {
    chrome.kill();
    await relay.stop();
  }
}
