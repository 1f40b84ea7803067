import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { openMenu } from '../support/phone.js';
import { connected, enter, sameGroup, say } from '../support/room-flow.js';
import { qrPixels, writeY4m } from '../support/y4m.js';

const haveChromium = chromiumAvailable();
const QR_PX = 360;
/** Leading zero bits that take minutes in a browser: the Cancel test cannot race the solver. */
const HARD_POW_DIFFICULTY = '30';

/** Records every aria-valuenow/valuemax the proof-of-work progress bar shows (it may come and go within a second). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Array<{ now: number; max: number }> = [];
    (globalThis as unknown as { powSeen: typeof seen }).powSeen = seen;
    const record = () => {
      const bar = document.querySelector('[role=progressbar]');
      if (bar) seen.push({ now: Number(bar.getAttribute('aria-valuenow')), max: Number(bar.getAttribute('aria-valuemax')) });
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}
const progressSeen = (page: Page) => page.evaluate(() => (globalThis as unknown as { powSeen: Array<{ now: number; max: number }> }).powSeen);

/** Enters with the progress bar watched, and returns the ghost's session token as the relay answered it (to check destruction from outside). */
async function enterWatched(page: Page): Promise<{ token: string }> {
  await watchProgress(page);
  const created = page.waitForResponse((r) => r.url().endsWith('/api/ghosts') && r.request().method() === 'POST');
  await enter(page);
  const body = (await (await created).json()) as { token: string };
  const seen = await progressSeen(page);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.at(-1)!.now).toBe(seen.at(-1)!.max);
  return { token: body.token };
}

describe.skipIf(!haveChromium)('the whole journey: enter, create, scan to join, chat, image, participants, self-destruct', () => {
  let relay: RelayProcess;
  let hardRelay: RelayProcess;
  let shower: Browser;
  let scanner: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gw-journey-'));

  beforeAll(async () => {
    [relay, hardRelay] = await Promise.all([startRelayProcess(), startRelayProcess({ POW_DIFFICULTY: HARD_POW_DIFFICULTY, POW_MAX_DIFFICULTY: HARD_POW_DIFFICULTY })]);
    shower = await launchBrowser();
  });
  afterAll(async () => {
    await scanner?.close();
    await shower?.close();
    await relay?.stop();
    await hardRelay?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cancelling the proof of work says so and makes no ghost', async () => {
    const ctx = await shower.newContext();
    const page = await ctx.newPage();
    await page.goto(`${hardRelay.url}/`);
    await page.getByRole('button', { name: 'Enter anonymously' }).click();
    await page.getByRole('progressbar').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alert').filter({ hasText: 'Proof of work was cancelled. Press Enter anonymously to try again.' }).waitFor();
    await page.getByRole('button', { name: 'Enter anonymously' }).waitFor();
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await page.getByTestId('entered').count()).toBe(0);
    await ctx.close();
  });

  it('goes from entering to farewell, and the relay forgets the ghost that self-destructed', async () => {
    const alice = await (await shower.newContext()).newPage();
    await alice.goto(`${relay.url}/`);
    await alice.getByTestId('active-ghosts').waitFor();
    await expect(alice.getByRole('link', { name: /Direct mode/ }).getAttribute('href')).resolves.toBe('/d');
    const a = await enterWatched(alice);
    // The start page shows no name: nobody else would ever see one.
    expect(await alice.getByText(/Ghost#[0-9A-Z]{4}/).count()).toBe(0);
    await alice.getByRole('button', { name: 'Create room' }).click();
    await connected(alice);
    await alice.getByRole('button', { name: 'Show invite QR code' }).click();
    const video = join(dir, 'qr.y4m');
    writeY4m(video, await qrPixels(alice, QR_PX), QR_PX);

    scanner = await launchBrowser(['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`, '--use-fake-ui-for-media-stream']);
    // Bob's test code reads the received image's blob: URL with fetch(), which the app's CSP rightly forbids.
    const bob = await (await scanner.newContext({ permissions: ['camera'], bypassCSP: true })).newPage();
    await bob.goto(`${relay.url}/`);
    await enterWatched(bob);
    await bob.getByRole('button', { name: 'Scan a QR code' }).click();
    await connected(bob);
    expect(new URL(bob.url()).pathname).toBe('/r');
    // The default room is an MLS group: Bob reads what Alice sends once she has added him.
    await sameGroup(alice, bob);

    await say(alice, bob, 'hello from the journey');
    await say(bob, alice, 'scanned in and replying');
    for (const p of [alice, bob]) await expect.poll(() => p.getByTestId('participants').textContent(), { timeout: 30_000 }).toBe('2 here');

    // An image from Alice that Bob sees (a real JPEG from Chromium's encoder).
    const jpeg = Buffer.from(
      await alice.evaluate(async () => {
        const c = new OffscreenCanvas(320, 200);
        const g = c.getContext('2d')!;
        g.fillStyle = '#3a7';
        g.fillRect(0, 0, 320, 200);
        return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())];
      }),
    );
    await alice.getByLabel('Attach image').setInputFiles({ name: 'journey.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await alice.getByRole('button', { name: 'Send image' }).click();
    const img = bob.getByTestId('message-image');
    await img.waitFor({ timeout: 30_000 });
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBe(320);

    // The relay knows Alice's ghost until she self-destructs.
    const footprint = () => fetch(`${relay.url}/api/ghosts/me/footprint`, { headers: { authorization: `Bearer ${a.token}` } }).then((r) => r.status);
    expect(await footprint()).toBe(200);

    await openMenu(alice);
    await alice.getByRole('button', { name: 'Self-destruct' }).click();
    await alice.getByRole('button', { name: 'Yes, destroy everything' }).click();
    await alice.getByRole('heading', { name: 'Farewell' }).waitFor();
    expect(new URL(alice.url()).pathname).toBe('/farewell');
    expect(await alice.getByTestId('farewell-relay').textContent()).toContain('On the relay: your ghost');

    expect(await footprint()).toBe(401);
    await expect.poll(() => bob.getByTestId('participants').textContent(), { timeout: 30_000 }).toBe('1 here');
    // Bob's room goes on.
    expect(await bob.getByTestId('message-body').allTextContents()).toContain('hello from the journey');
  });
});
