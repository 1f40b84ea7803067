import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, launchProfile } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SHOTS, VIEWPORTS, seriousViolations } from '../support/review.js';
import { enter, enterAndCreate } from '../support/room-flow.js';
import { openMenu } from '../support/phone.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('PWA quality: installable, accessible, screenshots for review', () => {
  let relay: RelayProcess;
  let browser: Browser;

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('reports no installability errors over the Chrome DevTools Protocol', async () => {
    // Installability needs a real (non-incognito) profile.
    const profile = await launchProfile();
    const ctx = profile.context;
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(`${relay.url}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    const cdp = await ctx.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toContain('/manifest.webmanifest');
    await profile.cleanup();
  });

  it('opens offline from the shell and says that chatting needs the relay', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${relay.url}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await ctx.setOffline(true);
    await page.goto(`${relay.url}/r`);
    await page.getByText('You are offline.').waitFor();
    expect(await page.getByText(/chatting needs the relay/).count()).toBe(1);
    await ctx.close();
  });

  const pages: Array<{ name: string; open(page: Page): Promise<void> }> = [
    { name: 'landing', open: async (p) => {
      await p.goto(`${relay.url}/`);
    } },
    {
      name: 'room',
      open: async (p) => {
        await p.goto(`${relay.url}/`);
        await enterAndCreate(p);
        await p.locator('[role=status][data-phase=open]').waitFor();
        await p.getByRole('textbox', { name: 'Message' }).fill('hello, screenshot');
        await p.getByRole('button', { name: 'Send' }).click();
        await p.getByTestId('message-status').filter({ hasText: 'sent' }).waitFor();
      },
    },
    {
      name: 'privacy',
      open: async (p) => {
        await p.goto(`${relay.url}/privacy`);
        await p.getByTestId('device-footprint').waitFor();
      },
    },
    {
      name: 'landing-entered',
      open: async (p) => {
        await p.goto(`${relay.url}/`);
        await enter(p);
        await p.getByTestId('active-ghosts').waitFor();
      },
    },
    {
      name: 'privacy-ghost',
      open: async (p) => {
        await p.goto(`${relay.url}/`);
        await enter(p);
        await p.getByRole('link', { name: 'Privacy' }).click();
        await p.getByTestId('relay-footprint').waitFor();
        await p.getByTestId('device-footprint').waitFor();
      },
    },
    {
      name: 'farewell',
      open: async (p) => {
        await p.goto(`${relay.url}/`);
        await enterAndCreate(p);
        await p.locator('[role=status][data-phase=open]').waitFor();
        await openMenu(p);
        await p.getByRole('button', { name: 'Self-destruct' }).click();
        await p.getByRole('button', { name: 'Yes, destroy everything' }).click();
        await p.getByTestId('farewell-relay').waitFor();
      },
    },
    { name: 'room-empty', open: async (p) => {
      await p.goto(`${relay.url}/r`);
    } },
    {
      name: 'direct',
      open: async (p) => {
        await p.goto(`${relay.url}/d`);
        await p.getByRole('button', { name: 'Create direct link' }).waitFor();
      },
    },
    {
      name: 'direct-waiting',
      open: async (p) => {
        await p.goto(`${relay.url}/d`);
        await p.getByRole('button', { name: 'Create direct link' }).click();
        await p.locator('[role=status][data-phase="waiting"]').waitFor();
      },
    },
    { name: 'scan-denied', open: async (p) => {
        await p.goto(`${relay.url}/scan`);
        await p.getByTestId('scan-status').filter({ hasText: /denied|No camera/ }).waitFor();
      } },
  ];

  for (const { name, open } of pages) {
    it(`${name}: no serious or critical axe violations; screenshots at 360×640 and 1280×800`, async () => {
      for (const viewport of VIEWPORTS) {
        const ctx = await browser.newContext({ viewport, hasTouch: viewport.width < 500, isMobile: viewport.width < 500 });
        const page = await ctx.newPage();
        await open(page);
        await page.screenshot({ path: `${SHOTS}/${name}-${viewport.width}x${viewport.height}.png`, fullPage: true });
        expect(await seriousViolations(page)).toEqual([]);
        await ctx.close();
      }
    });
  }
});
