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
}

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
    };
  } finally {
    chrome.kill();
    await relay.stop();
  }
}
