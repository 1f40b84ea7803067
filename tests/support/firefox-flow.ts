import type { Page } from 'puppeteer-core';
import { clickButton, fillLabelled, seen } from './firefox.js';
import { untilOneCode } from './room-flow.js';

/** Landing → Enter anonymously (proof of work in the worker) → the page says you are in (as room-flow.ts `enter`). */
export async function enterFx(page: Page): Promise<void> {
  await clickButton(page, 'Enter anonymously');
  await seen(page, '[data-testid=entered]', 90_000);
}

/** Waits for the room's relay connection to be open. */
export const connectedFx = (page: Page) => seen(page, '[role=status][data-phase=open]', 45_000);

/** Creates a room from the landing page (the default kind: an MLS group); returns the invite link. */
export async function createRoomFx(page: Page, origin: string): Promise<string> {
  await page.goto(`${origin}/`);
  await enterFx(page);
  await clickButton(page, 'Create room');
  await connectedFx(page);
  return inviteLinkFx(page);
}

/** Reads the invite link of an MLS room (`~m` at its end), opening the invite panel with "Share" if it is collapsed (someone has joined), as phone.ts `inviteLink`. */
export async function inviteLinkFx(page: Page): Promise<string> {
  if (!(await page.$('#invite'))) await clickButton(page, 'Share');
  await page.waitForFunction(() => /\/r#[\w-]{43}~m$/.test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''), { timeout: 30_000 });
  return page.$eval('#invite', (el) => (el as HTMLInputElement).value);
}

/** Attaches an image file through the composer's file input, then presses "Send image" under its preview. */
export async function sendImageFx(page: Page, file: string): Promise<void> {
  const input = await page.$('input[aria-label="Attach image"]');
  if (!input) throw new Error('no "Attach image" input in the composer');
  await input.uploadFile(file);
  await seen(page, '[data-testid=image-preview]');
  await clickButton(page, 'Send image');
}

/** The safety code the room menu shows ('' before there is one); the menu is opened for it and closed again (as room-flow.ts `safetyCode`). */
async function safetyCodeFx(page: Page): Promise<string> {
  await page.click('button[aria-label="Room menu"]');
  const text = await page.$eval('[data-testid=safety-code]', (el) => el.textContent ?? '').catch(() => '');
  await page.click('button[aria-label="Room menu"]');
  return text;
}

/** Waits until every page shows one and the same safety code: in an MLS room, all are in one group epoch (as room-flow.ts `sameGroup`). */
export function sameGroupFx(...pages: Page[]): Promise<void> {
  return untilOneCode(pages, safetyCodeFx);
}

/** Sends a message from `from` and waits until `to` shows it. */
export async function sayFx(from: Page, to: Page, text: string): Promise<void> {
  await fillLabelled(from, 'Message', text);
  await clickButton(from, 'Send');
  await to.waitForFunction((t) => [...document.querySelectorAll('[data-testid=message-body]')].some((e) => e.textContent?.includes(t)), { timeout: 30_000 }, text);
}

/** Ctrl+Shift+X, the default panic hotkey; resolves once the tab is on about:blank. */
export async function panicFx(page: Page): Promise<void> {
  await page.keyboard.down('Control');
  await page.keyboard.down('Shift');
  await page.keyboard.press('KeyX');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Control');
  const end = Date.now() + 15_000;
  while (page.url() !== 'about:blank') {
    if (Date.now() > end) throw new Error(`panic did not leave the page (still at ${page.url()})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
