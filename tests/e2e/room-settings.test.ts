import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { enter } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('room settings at creation', () => {
  let relay: RelayProcess;
  let browser: Browser;
  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const page = async (): Promise<Page> => (await browser.newContext()).newPage();

  it('honours lifetime and capacity: the timer shows the chosen life, and a third person hears the room is full', async () => {
    const alice = await page();
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    await alice.getByLabel('Lifetime').selectOption({ label: '15 minutes' });
    await alice.getByLabel('People at most').selectOption('2');
    await alice.getByRole('button', { name: 'Create room' }).click();
    await alice.locator('[role=status][data-phase=open]').waitFor();
    const timer = await alice.getByLabel(/Room self-destructs in/).getAttribute('aria-label');
    expect(timer).toMatch(/: 1[45] min \d\d s$/);
    const link = await alice.getByLabel('Invite link', { exact: true }).inputValue();

    const bob = await page();
    await bob.goto(link);
    await bob.locator('[role=status][data-phase=open]').waitFor();
    await expect.poll(() => alice.getByTestId('participants').textContent()).toBe('2 here');

    const carol = await page();
    await carol.goto(link);
    const state = carol.locator('[role=status][data-phase=closed]');
    await state.waitFor();
    expect(await state.textContent()).toContain('This room is full');
  });
});
