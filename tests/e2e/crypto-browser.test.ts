import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCryptoChecks, type CheckResult } from '../../protocol/src/crypto/kat.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { bundleForBrowser, HTML_PAGE, JS, serveFiles } from '../support/static-server.js';

const haveChromium = chromiumAvailable();
const entry = fileURLToPath(new URL('./fixtures/crypto-page.ts', import.meta.url));

describe.skipIf(!haveChromium)('protocol crypto checks in real Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFiles>>;

  beforeAll(async () => {
    server = await serveFiles({ '/': HTML_PAGE('/crypto.js'), '/crypto.js': JS(await bundleForBrowser(entry)) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes the same known-answer and property checks as Node', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => 'runCryptoChecks' in globalThis);
    const inBrowser = await page.evaluate(() => (globalThis as unknown as { runCryptoChecks(): Promise<CheckResult[]> }).runCryptoChecks());
    const inNode = await runCryptoChecks();
    expect(inBrowser.filter((r) => !r.ok)).toEqual([]);
    expect(inBrowser.map((r) => [r.name, r.ok])).toEqual(inNode.map((r) => [r.name, r.ok]));
    expect(inBrowser.length).toBeGreaterThanOrEqual(35);
    expect(errors).toEqual([]);
  });
});
