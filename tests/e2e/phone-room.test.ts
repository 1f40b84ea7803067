import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { checkState, openMenu, pasteJoin, phoneContext, PHONE } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, createRoom, linkSecret, sameGroup, say } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

/** Share of the viewport's height the message area takes. */
const messageShare = (p: Page) =>
  p.evaluate(() => document.querySelector('[data-testid=message-area]')!.getBoundingClientRect().height / window.innerHeight);

describe.skipIf(!haveChromium)('the room on a phone (390×844) and a laptop (1280×800)', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
    alice = await (await phoneContext(browser)).newPage();
    bob = await (await phoneContext(browser)).newPage();
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('joins by pasting a link (never a navigated URL), then gives the messages ≥ 70% of the phone screen', async () => {
    const link = await createRoom(alice, relay.url);
    await checkState(alice, 'room-alone', (p) => [p.getByLabel('Invite link', { exact: true }), p.getByRole('button', { name: 'Copy link' })]);

    const navigated: string[] = [];
    bob.on('framenavigated', (f) => navigated.push(f.url()));
    await pasteJoin(bob, relay.url, link);
    await connected(bob);
    expect(new URL(bob.url()).pathname).toBe('/r');
    // The secret was never in the address bar, not even for a moment.
    const secret = linkSecret(link);
    expect(navigated.some((u) => u.includes(secret))).toBe(false);
    expect(await bob.evaluate(() => location.href)).not.toContain(secret);

    // An MLS room: Bob reads what is sent once Alice has added him (the same safety code on both).
    await sameGroup(alice, bob);
    await say(alice, bob, 'hello from a phone');
    await say(bob, alice, 'hello back');
    // Once someone joined, the invite folds into a Share button.
    await expect.poll(() => alice.getByLabel('Invite link', { exact: true }).count()).toBe(0);
    await alice.getByRole('button', { name: 'Share', exact: true }).waitFor();
    for (const p of [alice, bob]) {
      await p.setViewportSize(PHONE);
      expect(await messageShare(p)).toBeGreaterThanOrEqual(0.7);
      await expect.poll(() => p.getByTestId('participants').textContent()).toBe('2 here');
      expect(await p.getByTestId('message-time').first().textContent()).toMatch(/\d{1,2}:\d{2}/);
    }
    await checkState(bob, 'room-connected', (p) => [p.getByTestId('room-state'), p.getByTestId('participants'), p.getByRole('textbox', { name: 'Message' })]);
    expect(await bob.getByTestId('room-state').textContent()).toBe('Connected');
  });

  it('keeps leave, self-destruct and the safety code (explained on tap) in one menu', async () => {
    await openMenu(bob);
    const code = bob.getByTestId('safety-code');
    await code.click();
    await bob.getByTestId('safety-explained').waitFor();
    await checkState(bob, 'room-menu', (p) => [p.getByTestId('safety-explained'), p.getByRole('button', { name: 'Leave this room' })]);
    await openMenu(alice);
    expect(await alice.getByTestId('safety-code').textContent()).toBe(await code.textContent());
    await bob.getByRole('button', { name: 'Self-destruct' }).click();
    expect(await bob.getByRole('group', { name: 'Confirm self-destruct' }).textContent()).toContain('The rooms go on for the others');
    await bob.getByRole('button', { name: 'Keep' }).click();
    await bob.getByRole('button', { name: 'Room menu' }).click();
    await alice.getByRole('button', { name: 'Room menu' }).click();
  });

  it('lists the people by the names the others see', async () => {
    await bob.getByRole('button', { name: /^People/ }).click();
    const people = bob.getByTestId('people');
    const aliceName = (await bob.getByTestId('message-handle').first().textContent())!;
    const bobName = (await bob.getByTestId('self-handle').textContent())!;
    await checkState(bob, 'room-people', (p) => p.getByTestId('people'));
    expect(await people.textContent()).toContain(aliceName);
    expect(await people.textContent()).toContain(`${bobName} (you)`);
    await bob.getByTestId('people-panel').getByRole('button', { name: 'Done' }).click();
  });

  it('stays at the bottom unless scrolled up, then counts what is new', async () => {
    for (let i = 0; i < 14; i++) await say(alice, bob, `filler ${i}`);
    const atBottom = () => bob.evaluate(() => {
      const s = document.querySelector('[data-testid=message-scroller]')!;
      return s.scrollHeight - s.scrollTop - s.clientHeight < 30;
    });
    await expect.poll(atBottom).toBe(true);
    await bob.evaluate(() => document.querySelector('[data-testid=message-scroller]')!.scrollTo({ top: 0 }));
    await bob.waitForTimeout(200);
    await say(alice, bob, 'while you were up there');
    await say(alice, bob, 'and another');
    const pill = bob.getByTestId('new-pill');
    await expect.poll(() => pill.textContent()).toBe('2 new ↓');
    await checkState(bob, 'room-new-pill', () => pill);
    await pill.click();
    await expect.poll(atBottom).toBe(true);
    expect(await pill.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
