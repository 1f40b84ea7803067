import { readdirSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { copyOfBuild, readText } from '../support/release-copy.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { EXFILTRATE_PAGE, startTamperProxy, type TamperProxy } from '../support/tamper-proxy.js';

const haveChromium = chromiumAvailable();

/** A page with no service worker, so every script comes from the network, as on a first visit or a bypass. */
async function freshPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  page.on('console', (m) => problems.push(m.text()));
  return page;
}

describe.skipIf(!haveChromium)('integrity in the page: Chromium refuses scripts whose bytes do not match their hash (SW off)', () => {
  let build: ReturnType<typeof copyOfBuild>;
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let browser: Browser;

  beforeAll(async () => {
    build = copyOfBuild();
    // One more script in the shell, with no integrity: only Integrity-Policy stands between it and running.
    writeFileSync(`${build.dir}/assets/extra.js`, EXFILTRATE_PAGE);
    writeFileSync(`${build.dir}/index.html`, readText(build.dir, 'index.html').replace('</head>', '<script type="module" src="/assets/extra.js"></script></head>'));
    relay = await startRelayProcess({ STATIC_DIR: build.dir });
    proxy = await startTamperProxy(relay.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await relay?.stop();
    build?.remove();
  });

  const reset = () => {
    proxy.overrides.clear();
    proxy.stripHeaders.clear();
    proxy.recorded.length = 0;
  };

  it('refuses a changed entry script (SRI attribute): the app does not start and the changed code never runs', async () => {
    const entry = /<script type="module" crossorigin src="(\/assets\/index-[^"]+\.js)"/.exec(readText(build.dir, 'index.html'))![1]!;
    const problems: string[] = [];
    try {
      // Control first: the genuine entry starts the app.
      const ok = await freshPage(browser, []);
      await ok.goto(`${proxy.url}/`);
      await ok.getByRole('button', { name: 'Enter anonymously' }).waitFor({ timeout: 30_000 });
      await ok.context().close();

      proxy.overrides.set(entry, { type: 'text/javascript', body: EXFILTRATE_PAGE + readText(build.dir, entry) });
      const page = await freshPage(browser, problems);
      await page.goto(`${proxy.url}/#secret-in-fragment`);
      await page.waitForTimeout(3000);
      // The shell's static heading and tagline paint from the HTML (first paint); nothing the script renders appears.
      expect(await page.getByRole('button', { name: 'Enter anonymously' }).count()).toBe(0);
      expect(await page.locator('#app button, #app input, #app form').count()).toBe(0);
      expect(problems.some((p) => /integrity/i.test(p) && p.includes(entry))).toBe(true);
      expect(proxy.recorded).toEqual([]);
      await page.context().close();
    } finally {
      reset();
    }
  });

  it('refuses a changed lazily imported chunk (import map integrity): the page says it could not load, nothing runs', async () => {
    const chunk = readdirSync(`${build.dir}/assets`).find((f) => /^privacy-.*\.js$/.test(f))!;
    const problems: string[] = [];
    try {
      proxy.overrides.set(`/assets/${chunk}`, { type: 'text/javascript', body: EXFILTRATE_PAGE + readText(build.dir, `assets/${chunk}`) });
      const page = await freshPage(browser, problems);
      await page.goto(`${proxy.url}/privacy`);
      await page.getByText('This page could not be loaded').waitFor({ timeout: 30_000 });
      expect(problems.some((p) => /integrity/i.test(p) && p.includes(chunk))).toBe(true);
      await page.waitForTimeout(1000);
      expect(proxy.recorded).toEqual([]);
      await page.context().close();
    } finally {
      reset();
    }
  });

  it('blocks a script that carries no integrity at all under the relay’s Integrity-Policy, and would run without it', async () => {
    try {
      const page = await freshPage(browser, []);
      await page.goto(`${proxy.url}/`);
      await page.getByRole('button', { name: 'Enter anonymously' }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500);
      expect(proxy.recorded).toEqual([]);
      await page.context().close();

      // Control: the same page without the header (as a dishonest relay would send it) runs the unhashed script.
      proxy.stripHeaders.add('integrity-policy');
      const bare = await freshPage(browser, []);
      await bare.goto(`${proxy.url}/`);
      await expect.poll(() => proxy.recorded.length, { timeout: 15_000 }).toBeGreaterThan(0);
      await bare.context().close();
    } finally {
      reset();
    }
  });
});
