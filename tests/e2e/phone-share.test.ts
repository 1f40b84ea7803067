import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { checkState, pasteJoin, phoneContext } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, createRoom, say } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

/**
 * The phone features the README lists: the rooms drawer's unread counts, Web
 * Share, "Copied", and the home-screen shortcut /r?new. Everything runs in the
 * real PWA against the real relay. The one stand-in is the share sheet, which
 * headless Chromium on Linux does not have (navigator.share is absent): where a
 * test needs it, a page script provides a navigator.share that keeps what it
 * was given and answers as the Web Share API does (resolve, or reject with
 * AbortError when the person closes the sheet, or another DOMException).
 */
describe.skipIf(!haveChromium)('sharing, copying, unread counts and the /r?new shortcut on a phone', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let aliceCtx: BrowserContext;
  let alice: Page;
  let bob: Page;
  let linkA: string;
  const errors: string[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
    aliceCtx = await phoneContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    alice = await aliceCtx.newPage();
    bob = await (await phoneContext(browser)).newPage();
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    expect(errors).toEqual([]);
    await browser?.close();
    await relay?.stop();
  });

  it('has no Share button where the browser has no share sheet, and "Copy link" puts the invite on the clipboard and says "Copied"', async () => {
    linkA = await createRoom(alice, relay.url);
    expect(await alice.evaluate(() => typeof navigator.share)).toBe('undefined');
    // No button that could only fail.
    expect(await alice.getByRole('button', { name: 'Share…' }).count()).toBe(0);

    await alice.evaluate(() => navigator.clipboard.writeText('something else'));
    const copy = alice.getByRole('button', { name: 'Copy link' });
    await copy.click();
    await alice.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(linkA);
    await checkState(alice, 'room-copied', (p) => p.getByRole('button', { name: 'Copied' }).or(p.getByRole('button', { name: 'Copy link' })));
    // The feedback goes away again, so a second tap says it again.
    await alice.getByRole('button', { name: 'Copy link' }).waitFor({ timeout: 5_000 });
  });

  it('shows unread counts in the phone drawer for a room that is not on screen, and clears them when it is opened', async () => {
    await pasteJoin(bob, relay.url, linkA);
    await connected(bob);
    await say(bob, alice, 'before the second room');

    // Alice opens a second room from the drawer; room A stays connected behind it.
    await alice.getByRole('button', { name: /^Your rooms/ }).click();
    await alice.getByRole('button', { name: '+ New room' }).click();
    await alice.getByRole('button', { name: 'Create room' }).click();
    await alice.waitForFunction((a) => {
      const v = document.querySelector<HTMLInputElement>('#invite')?.value ?? '';
      return /\/r#[\w-]{43}~m$/.test(v) && v !== a;
    }, linkA);
    await connected(alice);
    const header = alice.getByRole('button', { name: /^Your rooms/ });
    expect(await header.getAttribute('aria-label')).toBe('Your rooms');

    for (const text of ['one while you were away', 'two while you were away']) {
      await bob.getByRole('textbox', { name: 'Message' }).fill(text);
      await bob.getByRole('button', { name: 'Send' }).click();
    }
    await expect.poll(() => header.getAttribute('aria-label'), { timeout: 15_000 }).toBe('Your rooms, 2 unread');
    // Not shown in the room on screen.
    expect(await alice.getByTestId('message-body').filter({ hasText: 'while you were away' }).count()).toBe(0);

    await header.click();
    const drawer = alice.locator('nav.drawer');
    const entries = drawer.getByTestId('room-entry');
    await expect.poll(() => entries.count()).toBe(2);
    const roomA = entries.filter({ has: alice.getByTestId('unread') });
    expect(await roomA.count()).toBe(1);
    expect(await roomA.getByTestId('unread').textContent()).toBe('2');
    expect(await roomA.getByTestId('unread').getAttribute('aria-label')).toBe('2 unread');
    // The room on screen (the new one) has no badge.
    const onScreen = drawer.locator('[data-testid=room-entry][aria-current=page]');
    expect(await onScreen.count()).toBe(1);
    expect(await onScreen.getByTestId('unread').count()).toBe(0);
    await checkState(alice, 'rooms-drawer-unread', (p) => p.locator('nav.drawer [data-testid=unread]'));

    await roomA.click();
    await alice.getByTestId('message-body').filter({ hasText: 'two while you were away' }).waitFor();
    await expect.poll(() => header.getAttribute('aria-label')).toBe('Your rooms');
    await header.click();
    expect(await drawer.getByTestId('unread').count()).toBe(0);
    await drawer.getByRole('button', { name: 'Close' }).click();
  });

  it('shares the invite link through the share sheet where there is one, and says so only when sharing really failed', async () => {
    const page = await aliceCtx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const w = window as unknown as { shared: unknown[]; shareAnswer: 'ok' | 'abort' | 'fail' };
      w.shared = [];
      w.shareAnswer = 'ok';
      Object.defineProperty(navigator, 'share', {
        configurable: true,
        value: (data: unknown) => {
          w.shared.push(data);
          if (w.shareAnswer === 'abort') return Promise.reject(new DOMException('Share canceled', 'AbortError'));
          if (w.shareAnswer === 'fail') return Promise.reject(new DOMException('Share failed', 'NotAllowedError'));
          return Promise.resolve();
        },
      });
    });
    const link = await createRoom(page, relay.url);
    const share = page.getByRole('button', { name: 'Share…' });
    await share.click();
    expect(await page.evaluate(() => (window as unknown as { shared: unknown[] }).shared)).toEqual([{ title: 'Ghostwire room', url: link }]);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Closing the sheet is not an error.
    await page.evaluate(() => ((window as unknown as { shareAnswer: string }).shareAnswer = 'abort'));
    await share.click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { shared: unknown[] }).shared.length)).toBe(2);
    expect(await page.getByRole('alert').count()).toBe(0);

    // A real failure says what to do instead.
    await page.evaluate(() => ((window as unknown as { shareAnswer: string }).shareAnswer = 'fail'));
    await share.click();
    await page.getByRole('alert').filter({ hasText: 'Sharing failed. Copy the link instead.' }).waitFor();
    await checkState(page, 'room-share-failed', (p) => p.getByRole('alert').filter({ hasText: 'Sharing failed' }));
    await page.close();
  });

  it('opens the create form from the home-screen shortcut /r?new', async () => {
    const page = await (await phoneContext(browser)).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${relay.url}/r?new`);
    // Not the "no room is open" page: the landing page in its create mode.
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.has('new'));
    await page.getByText('To create a room, enter anonymously first.').waitFor();
    expect(await page.getByText('No room is open').count()).toBe(0);
    await checkState(page, 'shortcut-new-room', (p) => p.getByRole('button', { name: 'Enter anonymously' }));
    await page.getByRole('button', { name: 'Enter anonymously' }).click();
    await page.getByTestId('entered').waitFor({ timeout: 60_000 });
    // Straight to the form: the room name field has the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('room-name');
    await page.getByRole('button', { name: 'Create room' }).click();
    await connected(page);
    expect(new URL(page.url()).pathname).toBe('/r');
    await page.close();
  });
});
