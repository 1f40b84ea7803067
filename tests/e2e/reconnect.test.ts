import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { freePort } from '../support/ports.js';
import { redisFixture } from '../support/redis.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { enterAndCreate, sameGroup } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();
const redis = haveChromium ? await redisFixture() : null;

const open = (p: Page) => p.locator('[role=status][data-phase=open]').waitFor({ timeout: 30_000 });
const bodies = (p: Page) => p.getByTestId('message-body').allTextContents();

async function say(p: Page, text: string): Promise<void> {
  await p.getByRole('textbox', { name: 'Message' }).fill(text);
  await p.getByRole('button', { name: 'Send' }).click();
}

describe.skipIf(!haveChromium || !redis)('a relay killed and restarted mid-chat', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Rooms outlive a relay process only in Redis; the restarted process must verify the same tokens.
    env = { PORT: String(await freePort()), REDIS_URL: redis!.url, REDIS_PREFIX: redis!.prefix, JOIN_TOKEN_SECRET: 'reconnect-test-secret-0123456789abcdef' };
    relay = await startRelayProcess(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    await redis?.stop();
  });

  it('both sides reconnect on their own and continue without duplicates', async () => {
    const alice = await (await browser.newContext()).newPage();
    const bob = await (await browser.newContext()).newPage();
    await alice.goto(`${relay.url}/`);
    await enterAndCreate(alice);
    await open(alice);
    await bob.goto(await alice.getByLabel('Invite link', { exact: true }).inputValue());
    await open(bob);
    // An MLS room (the default): Bob reads Alice once she has added him.
    await sameGroup(alice, bob);
    await say(alice, 'before the crash');
    await expect.poll(() => bodies(bob)).toContain('before the crash');

    await relay.stop('SIGKILL');
    await alice.locator('[role=status][data-phase=waiting]').waitFor({ timeout: 15_000 });
    relay = await startRelayProcess(env);
    await Promise.all([open(alice), open(bob)]);

    await say(bob, 'after the restart');
    await say(alice, 'still here');
    await expect.poll(() => bodies(alice)).toContain('after the restart');
    await expect.poll(() => bodies(bob)).toContain('still here');
    for (const p of [alice, bob]) {
      const all = await bodies(p);
      expect(all.filter((b) => b === 'before the crash')).toHaveLength(1);
      expect(new Set(all).size).toBe(all.length);
    }
  });
});
