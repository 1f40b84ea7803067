import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONCE_VIEW_MS } from '../../protocol/src/limits.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { checkState, openMenu, phoneContext } from '../support/phone.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

/** A real JPEG from the page's own encoder. */
const jpeg = async (p: Page) =>
  Buffer.from(
    await p.evaluate(async () => {
      const c = new OffscreenCanvas(240, 160);
      const g = c.getContext('2d')!;
      g.fillStyle = '#2a6';
      g.fillRect(0, 0, 240, 160);
      return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())];
    }),
  );

async function send(p: Page, text: string): Promise<void> {
  await p.getByRole('textbox', { name: 'Message' }).fill(text);
  await p.getByRole('button', { name: 'Send', exact: true }).click();
}

describe.skipIf(!haveChromium)('the composer and what it sends, on a phone and a laptop', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const errors: string[] = [];
  // Both clocks start at 23:30 today, so a one-hour time-lock ends tomorrow (and must say so).
  const lateToday = new Date();
  lateToday.setHours(23, 30, 0, 0);

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
    alice = await (await phoneContext(browser)).newPage();
    bob = await (await phoneContext(browser)).newPage();
    for (const p of [alice, bob]) {
      p.on('pageerror', (e) => errors.push(e.message));
      await p.clock.install({ time: lateToday });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('counts the room name in bytes as you type and says what is wrong under the field', async () => {
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    const name = 'Planning the trip — who brings what — and when we all leave';
    expect(name.length).toBeLessThanOrEqual(60);
    expect(Buffer.byteLength(name)).toBeGreaterThan(60);
    await alice.getByLabel('Room name (optional)').fill(name);
    const count = alice.getByTestId('room-name-count');
    expect(await count.textContent()).toContain(`Too long: ${Buffer.byteLength(name)} of 60 bytes`);
    expect(await alice.getByRole('button', { name: 'Create room' }).isDisabled()).toBe(true);
    await checkState(alice, 'room-name-too-long', () => count);
    await alice.getByLabel('Room name (optional)').fill('Trip — who brings what');
    expect(await count.textContent()).toBe(`${Buffer.byteLength('Trip — who brings what')} of 60 bytes`);
    await alice.getByRole('button', { name: 'Create room' }).click();
    await connected(alice);
    expect(await alice.getByTestId('room-name').textContent()).toBe('Trip — who brings what');
  });

  it('says who joined and who left', async () => {
    await bob.goto(await alice.getByLabel('Invite link', { exact: true }).inputValue());
    await connected(bob);
    await alice.getByTestId('presence-notice').filter({ hasText: 'A ghost joined' }).waitFor();
    await send(bob, 'hi, it is bob');
    await alice.getByTestId('message-body').filter({ hasText: 'hi, it is bob' }).waitFor();
    await checkState(alice, 'room-join-notice', (p) => p.getByTestId('presence-notice').first());
  });

  it('previews a picked image with Send and Cancel, and sends only on Send', async () => {
    const file = { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: await jpeg(alice) };
    await alice.getByLabel('Attach image').setInputFiles(file);
    const preview = alice.getByTestId('image-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Exif and GPS are removed');
    await checkState(alice, 'image-preview', (p) => [p.getByRole('button', { name: 'Send image' }), p.getByRole('button', { name: 'Cancel' })]);
    await alice.getByRole('button', { name: 'Cancel' }).click();
    expect(await preview.count()).toBe(0);
    await alice.waitForTimeout(1000);
    expect(await bob.getByTestId('message-image').count()).toBe(0);
    await alice.getByLabel('Attach image').setInputFiles(file);
    await alice.getByRole('button', { name: 'Send image' }).click();
    await bob.getByTestId('message-image').waitFor({ timeout: 30_000 });
  });

  it('counts a read-once message down after it is opened, then leaves a "viewed" placeholder', async () => {
    await alice.getByRole('button', { name: 'Message options' }).click();
    await alice.getByLabel('Read once').check();
    await send(alice, 'read me once');
    await bob.getByTestId('reveal').click();
    const countdown = bob.getByTestId('read-once-countdown');
    await expect.poll(() => countdown.textContent()).toMatch(/^Read once: disappears in \d+ s\.$/);
    await checkState(bob, 'read-once-countdown', () => countdown);
    await bob.clock.fastForward(READ_ONCE_VIEW_MS + 1000);
    const viewed = bob.locator('[data-viewed=true]');
    await viewed.waitFor();
    expect(await viewed.textContent()).toContain('viewed, and gone from this device');
    expect(await bob.content()).not.toContain('read me once');
    await checkState(bob, 'read-once-viewed', () => viewed);
  });

  it('holds a time-locked message with its date, then shows it as a normal message when the time comes', async () => {
    await alice.getByRole('button', { name: 'Message options' }).click();
    await alice.getByLabel('Time lock').selectOption('60');
    await send(alice, 'open after midnight');
    const locked = bob.getByTestId('message-locked');
    await locked.waitFor({ timeout: 15_000 });
    // 00:30 tomorrow: a time alone would be read as today's.
    expect(await locked.textContent()).toMatch(/Time-locked until \w{3}, .*\d{1,2}:\d{2}/);
    await checkState(bob, 'time-lock-held', () => locked);
    await bob.clock.fastForward('01:01:00');
    const body = bob.getByTestId('message-body').filter({ hasText: 'open after midnight' });
    await body.waitFor();
    expect(await locked.count()).toBe(0);
    expect(await bob.getByText(/Time-locked/).count()).toBe(0);
    await checkState(bob, 'time-lock-released', () => body);
  });

  it('says the name of whoever left', async () => {
    const bobName = (await bob.getByTestId('self-handle').textContent())!;
    await openMenu(bob);
    await bob.getByRole('button', { name: 'Leave this room' }).click();
    await alice.getByTestId('presence-notice').filter({ hasText: `${bobName} left` }).waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
  });
});
