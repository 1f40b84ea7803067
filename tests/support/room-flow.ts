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

/** From the landing page (already loaded): enters anonymously, then presses "Create room". */
export async function enterAndCreate(page: Page): Promise<void> {
  await enter(page);
  await page.getByRole('button', { name: 'Create room' }).click();
}

/** Creates a room from the landing page; returns the invite link (secret in the fragment). */
export async function createRoom(page: Page, origin: string): Promise<string> {
  await page.goto(`${origin}/`);
  await enterAndCreate(page);
  const invite = page.getByLabel('Invite link', { exact: true });
  await invite.waitFor();
  await page.waitForFunction(() => /\/r#[\w-]{43}$/.test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''));
  await connected(page);
  return invite.inputValue();
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
