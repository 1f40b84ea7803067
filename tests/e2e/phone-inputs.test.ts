import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { phoneContext } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

/** Every form control on the page without autocomplete="off", described; and how many controls there are. */
const unmarked = (p: Page) =>
  p.evaluate(() => {
    const all = [...document.querySelectorAll('input, select, textarea')];
    return {
      count: all.length,
      bad: all.filter((e) => e.getAttribute('autocomplete') !== 'off').map((e) => `${e.tagName.toLowerCase()}[${e.getAttribute('type') ?? ''}] ${e.getAttribute('aria-label') ?? e.id}`),
    };
  });

describe.skipIf(!haveChromium)('no form field is remembered by the browser (session restore, autofill)', () => {
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

  it('gives every input, select and textarea of every page autocomplete="off"', async () => {
    const page = await (await phoneContext(browser)).newPage();
    const walked: Record<string, number> = {};
    const check = async (name: string) => {
      const r = await unmarked(page);
      walked[name] = r.count;
      expect(r.bad, name).toEqual([]);
    };
    await page.goto(`${relay.url}/`);
    await check('landing');
    await enter(page);
    await check('landing-entered');
    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.getByText('Panic hotkey').waitFor();
    await check('privacy');
    await page.goBack();
    await page.getByRole('button', { name: 'Create room' }).click();
    await connected(page);
    await page.getByRole('button', { name: 'Message options' }).click();
    await page.getByLabel('Attach image').setInputFiles({ name: 'x.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') });
    await page.getByTestId('image-preview').waitFor();
    await check('room');
    await page.getByRole('button', { name: 'Room menu' }).click();
    await check('room-menu');
    await page.goto(`${relay.url}/d`);
    await page.getByRole('button', { name: 'Create direct link' }).waitFor();
    await check('direct');
    await page.goto(`${relay.url}/scan`);
    await check('scan');
    await page.goto(`${relay.url}/r#not-a-secret`);
    await page.getByTestId('room-gone').waitFor();
    await check('gone');
    // The walk saw the fields that matter: the hotkey, the room name, the paste field, the composer and its options.
    expect(walked.privacy).toBeGreaterThan(3);
    expect(walked['landing-entered']).toBeGreaterThan(4);
    expect(walked.room).toBeGreaterThanOrEqual(4);
  });
});
