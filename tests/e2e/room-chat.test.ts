import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from '../../protocol/src/crypto/bytes.js';
import { hkdf } from '../../protocol/src/crypto/derive.js';
import { Label } from '../../protocol/src/crypto/labels.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { encodings, startWireTap, type WireTap } from '../support/wire-tap.js';
import { openMenu } from '../support/phone.js';
import { enterAndCreate, linkSecret, sameGroup } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

async function connected(page: Page): Promise<void> {
  await page.locator('[role=status][data-phase=open]').waitFor({ timeout: 15_000 });
}

describe.skipIf(!haveChromium)('two browser contexts chat through the relay (real Chromium, SW enabled)', () => {
  let relay: RelayProcess;
  let tap: WireTap;
  let browser: Browser;

  beforeAll(async () => {
    relay = await startRelayProcess();
    tap = await startWireTap(relay.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await tap?.close();
    await relay?.stop();
  });

  it('exchanges messages end to end encrypted; the relay sees only ciphertext', async () => {
    const alice = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
    const bob = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));

    await alice.goto(`${tap.url}/`);
    await enterAndCreate(alice);
    const invite = alice.getByLabel('Invite link', { exact: true });
    // A private room is an MLS group unless the creator turned that off: the link says so with `~m`.
    await expect.poll(() => invite.inputValue()).toMatch(/\/r#[\w-]{43}~m$/);
    const link = await invite.inputValue();
    const secret = linkSecret(link);
    await connected(alice);

    await bob.goto(link);
    await connected(bob);
    // The secret left the address bar (and the current history entry) as soon as it was read.
    expect(bob.url()).toBe(`${tap.url}/r`);
    expect(await bob.evaluate(() => location.hash)).toBe('');

    // Both come to see the same group safety code (a split group, or a tampered link, would show another).
    await sameGroup(alice, bob);
    await openMenu(alice);
    await openMenu(bob);
    const code = await alice.getByTestId('safety-code').textContent();
    expect(code).toMatch(/^Safety code \d{5}( \d{5}){5}$/);
    expect(await bob.getByTestId('safety-code').textContent()).toBe(code);

    const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
    const canaryB = `canary-${randomBytes(8).toString('hex')} from bob`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(canaryA);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain(canaryA);
    await expect.poll(() => alice.getByTestId('message-status').first().textContent()).toContain('relay: delivered to 1');

    await bob.getByRole('textbox', { name: 'Message' }).fill(canaryB);
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents()).toContain(canaryB);

    // The service worker is registered and active in both contexts.
    for (const p of [alice, bob]) {
      expect(await p.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);
    }

    // What the relay received: frames did cross the tap, but no plaintext, no room secret, no content key.
    const frames = tap.clientWsMessages().filter((m) => m.includes('"type":"frame"'));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    const contentKey = Buffer.from(await hkdf(fromBase64url(secret), Label.ContentKey, 32)).toString('base64url');
    const seen = Buffer.concat([tap.fromClients(), tap.fromRelay()]);
    for (const needle of [canaryA, canaryB, secret, contentKey]) {
      for (const form of encodings(needle)) expect(seen.includes(form), `relay saw ${needle}`).toBe(false);
    }
    // And the check itself can fail: a frame body is visible in what was captured.
    expect(seen.includes(Buffer.from(JSON.parse(frames[0]!).data as string))).toBe(true);
    expect(errors).toEqual([]);
  });
});
