import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { checkState, openMenu, phoneContext } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, enter, workerReady } from '../support/room-flow.js';
import { readSiteStorage } from '../support/site-storage.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('the farewell and the deep wipe say only what was verified', () => {
  let relay: RelayProcess;
  let browser: Browser;

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('after a self-destruct, Cache Storage, the worker and storage are as the Farewell page lists them', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const clearSite: string[] = [];
    page.on('response', (r) => {
      void r.allHeaders().then((h) => {
        if (h['clear-site-data']) clearSite.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
      });
    });
    await createRoom(page, relay.url);
    await workerReady(page);
    // Before: the shell is cached and the worker registered (so "empty" afterwards means something).
    const before = await page.evaluate(async () => ({ caches: await caches.keys(), workers: (await navigator.serviceWorker.getRegistrations()).length }));
    expect(before.caches.length).toBeGreaterThan(0);
    expect(before.workers).toBe(1);

    await openMenu(page);
    await page.getByRole('button', { name: 'Self-destruct' }).click();
    await page.getByRole('button', { name: 'Yes, destroy everything' }).click();
    await page.getByTestId('farewell-residue').waitFor({ timeout: 30_000 });
    expect(clearSite).toContain('POST /api/wipe');

    const said = {
      caches: await page.getByTestId('residue-caches').textContent(),
      workers: await page.getByTestId('residue-workers').textContent(),
      usage: await page.getByTestId('residue-usage').textContent(),
    };
    const seen = await readSiteStorage(context, relay.url);
    // The browser applied Clear-Site-Data: nothing of the shell or the worker is left, and the page says exactly that.
    expect(Object.keys(seen.caches)).toEqual([]);
    expect(seen.workers).toEqual([]);
    expect(said.caches).toBe('Cache Storage: empty (checked).');
    expect(said.workers).toContain('none registered (checked)');
    expect(said.usage).toMatch(/^Site storage in use, by the browser's own estimate: \d+ (bytes|kB)/);
    // No sentence claims what the relay's header did: only what was read back.
    expect(await page.locator('main').textContent()).not.toMatch(/told the browser to clear/);
    await checkState(page, 'farewell', (p) => p.getByTestId('farewell-residue'));
  });

  it('a deep-wipe panic leaves no cache, no worker and no storage behind', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${relay.url}/`);
    await enter(page);
    await workerReady(page);
    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.getByLabel(/Deep wipe on panic/).check();
    const wiped = page.waitForResponse((r) => r.url().endsWith('/api/wipe'));
    await page.keyboard.press('Control+Shift+X');
    const res = await wiped;
    expect((await res.allHeaders())['clear-site-data']).toContain('"storage"');
    await page.waitForURL('about:blank');
    const seen = await readSiteStorage(context, relay.url);
    expect(Object.keys(seen.caches)).toEqual([]);
    expect(seen.workers).toEqual([]);
  });
});
