import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { freePort } from '../support/ports.js';
import { apiRoom, checkState, phoneContext, unknownRoomLink } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, createRoom } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

/** A gone room offers nothing that looks alive: no composer, no countdown, no invite link. */
async function nothingAlive(p: Page): Promise<void> {
  expect(await p.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
  expect(await p.getByLabel('Invite link', { exact: true }).count()).toBe(0);
  expect(await p.getByText(/ends in/).count()).toBe(0);
  expect(await p.getByRole('button', { name: 'Create a room' }).isVisible()).toBe(true);
}

async function gone(p: Page, reason: string, title: string): Promise<void> {
  const page = p.getByTestId('room-gone');
  await page.waitFor({ timeout: 60_000 });
  expect(await page.getAttribute('data-reason')).toBe(reason);
  expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe(title);
}

describe.skipIf(!haveChromium)('every way a room is gone, said on a phone and a laptop', () => {
  let relay: RelayProcess;
  let browser: Browser;
  const page = async () => (await phoneContext(browser)).newPage();

  beforeAll(async () => {
    relay = await startRelayProcess({ PORT: String(await freePort()) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('a damaged link opens no room and says to ask again', async () => {
    const p = await page();
    await p.goto(`${relay.url}/r#only-part-of-a-secret-here`);
    await gone(p, 'damaged', 'This invite link is damaged');
    await nothingAlive(p);
    await checkState(p, 'gone-damaged', (x) => [x.getByTestId('room-gone-body'), x.getByRole('button', { name: 'Create a room' })]);
  });

  it('a link to a room that does not exist says so', async () => {
    const p = await page();
    await p.goto(unknownRoomLink(relay.url));
    await gone(p, 'not-found', 'This room does not exist');
    await nothingAlive(p);
    await checkState(p, 'gone-not-found', (x) => x.getByTestId('room-gone-body'));
  });

  it('a full room says it is full', async () => {
    const { link } = await apiRoom(relay.url, { capacity: 2 });
    const [a, b, c] = [await page(), await page(), await page()];
    await a.goto(link);
    await connected(a);
    await b.goto(link);
    await connected(b);
    await c.goto(link);
    await gone(c, 'full', 'This room is full');
    await nothingAlive(c);
    await checkState(c, 'gone-full', (x) => x.getByTestId('room-gone-body'));
  });

  it('a room that reaches its timer is replaced by a page saying it expired', async () => {
    const { link } = await apiRoom(relay.url, { ttlSeconds: 60 });
    const p = await page();
    await p.goto(link);
    await connected(p);
    await gone(p, 'expired', 'This room has expired');
    await nothingAlive(p);
    await checkState(p, 'gone-expired', (x) => x.getByTestId('room-gone-body'));
  }, 120_000);

  it('a new link opened in a tab already on /r switches to that room and leaves the address bar clean', async () => {
    const p = await page();
    const first = await createRoom(p, relay.url);
    const { link } = await apiRoom(relay.url);
    await p.evaluate((l) => (location.href = l), link);
    await expect.poll(() => p.getByTestId('room-entry').count(), { timeout: 30_000 }).toBe(2);
    await connected(p);
    expect(await p.evaluate(() => location.href)).toBe(`${relay.url}/r`);
    // The room on screen is the new one (its invite is the link just opened); the first stays open beside it.
    await expect.poll(() => p.getByLabel('Invite link', { exact: true }).inputValue()).toBe(link);
    expect(link).not.toBe(first);
    await checkState(p, 'hashchange-switched', (x) => x.getByLabel('Invite link', { exact: true }));
  });

  it('a reload warns first, and afterwards says why the room is gone', async () => {
    const p = await page();
    await createRoom(p, relay.url);
    const dialogs: string[] = [];
    p.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await p.reload();
    expect(dialogs).toContain('beforeunload');
    await gone(p, 'reloaded', 'The room closed when the page reloaded');
    await checkState(p, 'gone-reloaded', (x) => x.getByTestId('room-gone-body'));
  });

  it('shows reconnecting (with when) while the relay is down, then that the room is gone when it comes back without it', async () => {
    const p = await page();
    await createRoom(p, relay.url);
    const port = relay.port;
    await relay.stop('SIGKILL');
    const state = p.getByTestId('room-state');
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toMatch(/^Reconnecting in \d+ s$/);
    await checkState(p, 'room-reconnecting', (x) => x.getByTestId('room-state'));
    // This relay keeps rooms in memory: the restarted one has never heard of it.
    relay = await startRelayProcess({ PORT: String(port) });
    await gone(p, 'ended', 'This room no longer exists');
    await nothingAlive(p);
    await checkState(p, 'gone-ended', (x) => x.getByTestId('room-gone-body'));
  }, 120_000);
});
