import type { Page } from 'playwright-core';

/** Waits until the page's relay connection is open. */
export async function connected(page: Page): Promise<void> {
  await page.locator('[role=status][data-phase=open]').waitFor({ timeout: 30_000 });
}

/** On the landing page: "Enter anonymously" (proof of work in a worker), then waits until it says you are in (a ghost has no name: names are per room). */
export async function enter(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enter anonymously' }).click();
  await page.getByTestId('entered').waitFor({ timeout: 60_000 });
}

/**
 * What kind of private room the form makes: an MLS group (the default), or a
 * link-key room (`forwardSecrecy: false`), for tests whose subject is what the
 * link key allows, such as a late joiner reading the kept backlog.
 */
export interface FormRoom {
  forwardSecrecy?: boolean;
}

/** On the create form: turns forward secrecy off when asked (it is on by default for private rooms). */
export async function chooseKind(page: Page, opts: FormRoom = {}): Promise<void> {
  if (opts.forwardSecrecy === false) await page.getByRole('checkbox', { name: /Forward secrecy/ }).uncheck();
}

/** From the landing page (already loaded): enters anonymously, then presses "Create room" (an MLS room unless `forwardSecrecy: false`). */
export async function enterAndCreate(page: Page, opts: FormRoom = {}): Promise<void> {
  await enter(page);
  await chooseKind(page, opts);
  await page.getByRole('button', { name: 'Create room' }).click();
}

/** Creates a room from the landing page; returns the invite link (secret in the fragment, `~m` at its end for an MLS room). */
export async function createRoom(page: Page, origin: string, opts: FormRoom = {}): Promise<string> {
  await page.goto(`${origin}/`);
  await enterAndCreate(page, opts);
  const invite = page.getByLabel('Invite link', { exact: true });
  await invite.waitFor();
  const mark = opts.forwardSecrecy === false ? '' : '~m';
  await page.waitForFunction((m) => new RegExp(`/r#[\\w-]{43}${m}$`).test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''), mark);
  await connected(page);
  return invite.inputValue();
}

/** The room secret in an invite link, without a rotating ticket or the MLS mark. */
export function linkSecret(link: string): string {
  return link.split('#')[1]!.replace(/~m$/, '').split('.')[0]!;
}

/** The safety code the room menu shows, without its label ('' before there is one); the menu is opened for it and closed again. */
export async function safetyCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Room menu' }).click();
  const code = page.getByTestId('safety-code');
  const text = (await code.count()) ? await code.textContent() : '';
  await page.getByRole('button', { name: 'Room menu' }).click();
  return text?.replace('Safety code ', '') ?? '';
}

/**
 * Waits until every page shows one and the same safety code. In an MLS room
 * that is the moment all of them are in one group epoch: a joiner is in only
 * once a member added it, and what is sent before that it cannot read.
 */
export function sameGroup(...pages: Page[]): Promise<void> {
  return untilOneCode(pages, safetyCode);
}

/** Polls `read` on every page until all give one non-empty code; throws after 30 s with the codes seen. For any browser driver (firefox-flow.ts too). */
export async function untilOneCode<P>(pages: P[], read: (page: P) => Promise<string>): Promise<void> {
  // A loop, not expect.poll: it also runs in beforeAll, where expect.poll is refused.
  const end = Date.now() + 30_000;
  for (;;) {
    const codes: string[] = [];
    for (const p of pages) codes.push(await read(p));
    if (codes[0] !== '' && codes.every((c) => c === codes[0])) return;
    if (Date.now() > end) throw new Error(`safety codes still differ after 30 s: ${codes.map((c) => c || '(none)').join(' / ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Sends a message from `from` and waits until `to` shows it. */
export async function say(from: Page, to: Page, text: string): Promise<void> {
  await from.getByRole('textbox', { name: 'Message' }).fill(text);
  await from.getByRole('button', { name: 'Send' }).click();
  await to.getByTestId('message-body').filter({ hasText: text }).waitFor({ timeout: 30_000 });
}

/** Waits for the service worker to run and this page to say hello (the session marker exists). */
export async function workerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 200 && !(await caches.has('ghostwire-session-open')); i++) await new Promise((r) => setTimeout(r, 50));
  });
}
