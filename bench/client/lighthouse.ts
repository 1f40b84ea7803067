import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumPath, CHROMIUM_ARGS } from '../../tests/support/browser.js';
import { startRelayProcess } from '../../tests/support/relay-process.js';

export interface LighthouseResult {
  performance: number | null;
  firstContentfulPaintMs: number | null;
  largestContentfulPaintMs: number | null;
  totalBlockingTimeMs: number | null;
  cumulativeLayoutShift: number | null;
  speedIndexMs: number | null;
}

/**
 * Lighthouse's performance category on the landing page served by the built
 * relay, with its default mobile preset (simulated slow 4G, 4× CPU slowdown,
 * a phone-sized viewport), driving Debian's Chromium headless.
 */
export async function lighthouseLanding(): Promise<LighthouseResult | { unavailable: string }> {
  const chromePath = chromiumPath();
  if (!chromePath) return { unavailable: 'Lighthouse needs a Chromium path (GHOSTWIRE_CHROMIUM); PLAYWRIGHT_BROWSER=bundled is not supported here' };
  const relay = await startRelayProcess({ LOG_LEVEL: 'info' });
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
  try {
    const r = await lighthouse(`${relay.url}/`, { port: chrome.port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
    if (!r) return { unavailable: 'Lighthouse returned no result' };
    const lhr = r.lhr;
    if (lhr.runtimeError) return { unavailable: `Lighthouse: ${lhr.runtimeError.message}` };
    const num = (id: string) => lhr.audits[id]?.numericValue ?? null;
    const score = lhr.categories.performance?.score;
    return {
      performance: typeof score === 'number' ? Math.round(score * 100) : null,
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
