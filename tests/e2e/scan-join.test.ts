import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { qrPixels, writeY4m } from '../support/y4m.js';
import { enterAndCreate } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();
const QR_PX = 360;

describe.skipIf(!haveChromium)('joining a room by scanning its QR code with the camera', () => {
  let relay: RelayProcess;
  let shower: Browser;
  let scanner: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gw-y4m-'));

  beforeAll(async () => {
    relay = await startRelayProcess();
    shower = await launchBrowser();
  });
  afterAll(async () => {
    await scanner?.close();
    await shower?.close();
    await relay?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans the QR shown by the first device through a (fake) camera, joins in-app, and chats', async () => {
    const alice = await (await shower.newContext()).newPage();
    await alice.goto(`${relay.url}/`);
    await enterAndCreate(alice);
    await alice.locator('[role=status][data-phase=open]').waitFor();
    await alice.getByText('Show invite QR code').click();
    const video = join(dir, 'qr.y4m');
    writeY4m(video, await qrPixels(alice, QR_PX), QR_PX);

    scanner = await launchBrowser(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`, '--use-fake-ui-for-media-stream']);
    const ctx = await scanner.newContext({ permissions: ['camera'] });
    const bob = await ctx.newPage();
    await bob.goto(`${relay.url}/scan`);
    await bob.locator('[role=status][data-phase=open]').waitFor({ timeout: 30_000 });
    expect(new URL(bob.url()).pathname).toBe('/r');

    // The secret never became a URL in this tab's history.
    const cdp = await ctx.newCDPSession(bob);
    const { entries } = (await cdp.send('Page.getNavigationHistory')) as { entries: Array<{ url: string }> };
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.url).not.toContain('#');

    await bob.getByRole('textbox', { name: 'Message' }).fill('scanned in');
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents()).toContain('scanned in');
  });

  it('says what to do when the camera is denied', async () => {
    const ctx = await shower.newContext();
    const page = await ctx.newPage();
    await page.goto(`${relay.url}/scan`);
    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 15_000 }).toMatch(/Camera access was denied|No camera was found/);
  });
});
