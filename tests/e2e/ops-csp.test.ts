import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { enterAndCreate, sameGroup } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

/** Records every CSP violation the document reports, from the first script on. */
async function watchViolations(page: Page, consoleProblems: string[]): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: Violation[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  });
  // Chromium also reports violations (and header parse errors, e.g. an unknown Permissions-Policy feature) on the console.
  page.on('console', (m) => {
    if (/Content.Security.Policy|Permissions.Policy|Refused to/i.test(m.text())) consoleProblems.push(m.text());
  });
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);

describe.skipIf(!haveChromium)('the PWA runs under the relay’s CSP without a single violation (real Chromium)', () => {
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

  it('creates a room, chats between two contexts, and the policy blocks nothing', async () => {
    const consoleProblems: string[] = [];
    const alice = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
    const bob = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
    for (const p of [alice, bob]) await watchViolations(p, consoleProblems);

    const home = await alice.goto(`${relay.url}/`);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    await enterAndCreate(alice);
    const invite = alice.getByLabel('Invite link', { exact: true });
    // The default private room, an MLS group: its code (ts-mls, WebCrypto X25519/Ed25519) runs under the same policy.
    await expect.poll(() => invite.inputValue()).toMatch(/\/r#[\w-]{43}~m$/);
    await alice.locator('[role=status][data-phase=open]').waitFor({ timeout: 15_000 });

    await bob.goto(await invite.inputValue());
    await bob.locator('[role=status][data-phase=open]').waitFor({ timeout: 15_000 });
    await sameGroup(alice, bob);

    const text = `csp-${randomBytes(6).toString('hex')}`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(text);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain(text);
    // The service worker (registered from the page, under the same policy) is active too.
    for (const p of [alice, bob]) expect(await p.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);

    expect(await violations(alice)).toEqual([]);
    expect(await violations(bob)).toEqual([]);

    // The other pages load their own modules (the QR scanner, the privacy inventory): same policy, same result.
    for (const path of ['/privacy', '/scan']) {
      const page = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
      await watchViolations(page, consoleProblems);
      // Not 'networkidle': the installing worker and the code check fetch in the background, and one
      // such fetch left pending now and then kept the page from ever counting as idle.
      await page.goto(relay.url + path, { waitUntil: 'load' });
      await page.locator('h1').first().waitFor();
      // The page's lazy modules (scanner, inventory) load after its heading: give them a moment to run.
      await page.waitForTimeout(1_500);
      expect(await violations(page), path).toEqual([]);
      await page.context().close();
    }
    expect(consoleProblems).toEqual([]);
  });

  it('would notice a violation: an inline script is blocked and reported', async () => {
    const page = await (await browser.newContext()).newPage();
    await watchViolations(page, []);
    await page.goto(`${relay.url}/privacy`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await expect.poll(async () => (await violations(page)).map((v) => v.directive)).toContain('script-src-elem');
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  });
});
