import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVITE_TICKET_TTL_SECONDS } from '../../protocol/src/limits.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { checkState, phoneContext } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter, say } from '../support/room-flow.js';
import { startTamperProxy, type TamperProxy } from '../support/ws-tamper-proxy.js';

const haveChromium = chromiumAvailable();

/** A rotating invite link to an MLS room (the form's default): `/r#<S>.<ticket>~m`, the ticket being `<claims>.<mac>`. */
const ROTATING = /\/r#([\w-]{43})\.([\w-]+\.[\w-]+)~m$/;

const inviteLink = (p: Page) => p.getByLabel('Invite link', { exact: true }).inputValue();
/** The seconds the "Refreshes in N s" line shows. */
const refreshIn = async (p: Page) => Number(/Refreshes in (\d+) s/.exec((await p.getByTestId('invite-refresh').textContent()) ?? '')?.[1] ?? -1);

/** The invite link and the countdown's seconds, read in one step so a refresh cannot fall between them. */
const snapshot = (p: Page) =>
  p.evaluate(() => ({
    link: document.querySelector<HTMLInputElement>('#invite')?.value ?? '',
    left: Number(/Refreshes in (\d+) s/.exec(document.querySelector('[data-testid=invite-refresh]')?.textContent ?? '')?.[1] ?? -1),
  }));

/**
 * Rotating invites on a phone: the creator's QR code and link carry a ticket
 * that changes; a link older than INVITE_TICKET_TTL_SECONDS (an old photo of
 * the QR) is refused with a sentence; a fresh one joins; and the joiner's
 * dropped socket gets back into the same room, under the same name, without
 * a ticket. The joiner reaches the relay through a proxy that can cut its
 * sockets (a phone losing its network), the creator directly.
 *
 * The stale link is one past its TTL, not one already used: a photographed QR
 * code is the threat this option names, and by the time a photo is used its
 * ticket has run out. A second use of a live ticket is refused the same way
 * (tests/integration/multi-instance.test.ts covers it).
 */
describe.skipIf(!haveChromium)('rotating invite QR on a phone (390×844)', () => {
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess();
    proxy = await startTamperProxy(relay.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await relay?.stop();
  });

  it('refreshes the QR, refuses an old one with a sentence, admits a fresh one, and lets a dropped joiner back in with the same name', { timeout: 240_000 }, async () => {
    const alice = await (await phoneContext(browser)).newPage();
    const bobContext = await phoneContext(browser);
    const bob = await bobContext.newPage();
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
    const viaProxy = (link: string) => proxy.url + new URL(link).pathname + new URL(link).hash;

    // The creator picks the option in plain words and creates the room.
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    await alice.getByLabel(/Rotating invite QR \(refreshes every 25 s; an old photo of it cannot join\)/).check();
    await alice.getByRole('button', { name: 'Create room' }).click();
    await connected(alice);
    await alice.waitForFunction((re) => new RegExp(re).test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''), ROTATING.source, { timeout: 30_000 });
    const first = await inviteLink(alice);
    const firstSeenAt = Date.now();
    expect(await refreshIn(alice)).toBeGreaterThan(0);
    expect(await alice.getByTestId('invite-panel').textContent()).toMatch(/let one person in, and only for up to 30 seconds/);
    await checkState(alice, 'rotating-invite', (p) => [p.getByTestId('qr'), p.getByTestId('invite-refresh')]);

    // When the countdown runs out (not before), the QR and link carry a new ticket for the same room.
    // Link and countdown are read together; a countdown about to run out (a slow machine) is waited out first.
    let seen = await snapshot(alice);
    if (seen.left < 6) {
      const old = seen.link;
      await expect.poll(async () => (seen = await snapshot(alice)).link, { timeout: 40_000, interval: 250 }).not.toBe(old);
    }
    const shown = seen.link;
    const due = Date.now() + seen.left * 1000;
    await expect.poll(() => inviteLink(alice), { timeout: 40_000, interval: 250 }).not.toBe(shown);
    // The countdown shows whole seconds rounded up, re-rendered once a second, so what was read can be
    // up to two seconds more than was left, plus a late tick on a loaded machine (a fresh-clone CI run on
    // 2026-12-07 saw the refresh 1.74 s before the reading, against the 1.5 s allowed then). Three seconds
    // of a 25 s interval still catches a refresh that comes early.
    expect(Date.now()).toBeGreaterThan(due - 3_000);
    const second = await inviteLink(alice);
    const [, secretA, ticketA] = ROTATING.exec(first)!;
    const [, secretB, ticketB] = ROTATING.exec(second)!;
    expect(second).not.toBe(first);
    expect(secretB).toBe(secretA);
    expect(ticketB).not.toBe(ticketA);
    expect(new URL(second).search).toBe('');

    // The first QR, photographed and used once its ticket has run out: refused, in words.
    const wait = firstSeenAt + (INVITE_TICKET_TTL_SECONDS + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await bob.goto(viaProxy(first));
    const gone = bob.getByTestId('room-gone');
    await gone.waitFor({ timeout: 60_000 });
    expect(await gone.getAttribute('data-reason')).toBe('invite-expired');
    expect(await bob.getByRole('heading', { level: 1 }).textContent()).toBe('This invite QR code has expired');
    expect(await bob.getByTestId('room-gone-body').textContent()).toMatch(/Ask a member to show you the QR code again/);
    expect(await bob.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await checkState(bob, 'rotating-refused', (p) => p.getByTestId('room-gone-body'));

    // A fresh one (minted within the last ten seconds) joins, in the same tab.
    await expect.poll(() => refreshIn(alice), { timeout: 40_000, interval: 500 }).toBeGreaterThanOrEqual(15);
    await bob.goto(viaProxy(await inviteLink(alice)));
    await connected(bob);
    const name = (await bob.getByTestId('self-handle').textContent())!;
    expect(name).toMatch(/^Ghost#[0-9A-Z-]+$/);
    await say(bob, alice, 'joined with a fresh QR');

    // Bob's phone loses its network: the socket drops mid-room, and the page says it is reconnecting.
    await bobContext.setOffline(true);
    proxy.cut();
    await bob.locator('[role=status][data-phase=waiting]').waitFor({ timeout: 15_000 });
    await checkState(bob, 'rotating-reconnecting', (p) => p.locator('[role=status][data-phase=waiting]'));

    // Back online within the grace: into the same room, as the same name, with no ticket and no new scan.
    await bobContext.setOffline(false);
    await connected(bob);
    expect(await bob.getByTestId('room-gone').count()).toBe(0);
    expect(await bob.getByTestId('self-handle').textContent()).toBe(name);
    await say(bob, alice, 'back after the drop');
    const handles = await alice.getByTestId('message-handle').allTextContents();
    expect(handles.at(-1)).toContain(name);
    await say(alice, bob, 'welcome back');
    await checkState(bob, 'rotating-rejoined', (p) => [p.getByTestId('self-handle'), p.getByTestId('message-body').filter({ hasText: 'welcome back' })]);
    expect(errors).toEqual([]);
  });
});
