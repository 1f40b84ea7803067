import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { freePort } from '../support/ports.js';
import { checkState, phoneContext } from '../support/phone.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter, sameGroup, say } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();
const redis = haveChromium ? await redisFixture() : null;
/** A handle as shown: 60 bits of the key's fingerprint in three groups (protocol/src/crypto/labels.ts). */
const HANDLE = /Ghost#[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/g;

/** Every place `viewer` shows `owner`'s name: the owner's own line and people list, the viewer's message labels and people list. */
async function namesShown(owner: Page, viewer: Page): Promise<string[]> {
  const seen: string[] = [];
  seen.push((await owner.getByTestId('self-handle').textContent())!);
  await owner.getByRole('button', { name: /^People/ }).click();
  seen.push(/(Ghost#[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) \(you\)/.exec((await owner.getByTestId('people').textContent())!)![1]!);
  await owner.getByTestId('people-panel').getByRole('button', { name: 'Done' }).click();
  seen.push(...(await viewer.getByTestId('message-handle').allTextContents()));
  await viewer.getByRole('button', { name: /^People/ }).click();
  seen.push(...((await viewer.getByTestId('person').allTextContents()).map((t) => t.trim())));
  await viewer.getByTestId('people-panel').getByRole('button', { name: 'Done' }).click();
  return seen;
}

describe.skipIf(!haveChromium || !redis)('one name per room, the same on every screen, before and after a relay restart', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { PORT: String(await freePort()), REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix, JOIN_TOKEN_SECRET: 'phone-identity-secret-0123456789abcdef' };
    relay = await startRelayProcess(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    await redis?.stop();
  });

  it('shows no name on the start page and one name per room, kept across a relay restart', async () => {
    const alice = await (await phoneContext(browser)).newPage();
    const bob = await (await phoneContext(browser)).newPage();
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    // Entered, and no name anywhere: a name exists only in a room, where the others see the same one.
    expect((await alice.locator('body').textContent())!.match(HANDLE)).toBeNull();
    await alice.getByRole('button', { name: 'Create room' }).click();
    await connected(alice);
    expect(await alice.locator('body').textContent()).toContain('a new name in every room');
    await bob.goto(await alice.getByLabel('Invite link', { exact: true }).inputValue());
    await connected(bob);
    await sameGroup(alice, bob);
    await say(alice, bob, 'before the restart');
    await say(bob, alice, 'seen');
    const before = await namesShown(alice, bob);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(new Set(before).size, before.join(', ')).toBe(1);
    const name = before[0]!;
    expect(name).toMatch(/^Ghost#[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await relay.stop('SIGKILL');
    await alice.locator('[role=status][data-phase=waiting]').waitFor({ timeout: 15_000 });
    relay = await startRelayProcess(env);
    await Promise.all([connected(alice), connected(bob)]);
    await say(alice, bob, 'after the restart');
    const after = await namesShown(alice, bob);
    expect(after.length).toBeGreaterThan(before.length);
    expect(new Set(after)).toEqual(new Set([name]));
    await checkState(bob, 'identity-after-restart', (p) => p.getByTestId('message-handle').last());

    // A second room in the same tab gives another name, so members of two rooms cannot tell it is one person.
    await alice.getByRole('button', { name: /^Your rooms/ }).click();
    await alice.getByRole('button', { name: '+ New room' }).click();
    await alice.getByRole('button', { name: 'Create room' }).click();
    await expect.poll(() => alice.getByTestId('room-entry').count()).toBe(2);
    await connected(alice);
    const second = (await alice.getByTestId('self-handle').textContent())!;
    expect(second).toMatch(/^Ghost#[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(second).not.toBe(name);
  });
});
