import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIN_ACTIVE, PIN_CACHE } from '../../sw/src/release-pin.js';
import { RELEASE_WARNING } from '../../web/src/components/release-warning.js';
import { chromiumAvailable, launchProfile } from '../support/browser.js';
import { copyOfBuild, readText, release, throwawayKey } from '../support/release-copy.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { seriousViolations, SHOTS } from '../support/review.js';
import { EXFILTRATE_PAGE, RECORD_PATH, sriOf, startTamperProxy, type TamperProxy } from '../support/tamper-proxy.js';
import { namedEncodings } from '../support/wire-tap.js';

const haveChromium = chromiumAvailable();
const PHONE = { width: 390, height: 844 };

/** The fragment of an invite link: 256 bits, base64url, as the app makes them. */
const roomSecret = () => randomBytes(32).toString('base64url');

/** Visits the app on a fresh profile until its worker is installed and has pinned the release; returns the page. */
async function install(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  await page.goto(`${origin}/`);
  // Not waitForFunction: it takes the promise an async predicate returns as truthy and returned at once, so the
  // next load could run its check before the pin existed ("First visit" under load).
  const installed = () =>
    page.evaluate(
      async ([cache, slot]) => (await caches.has(cache!)) && !!(await (await caches.open(cache!)).match(slot!)) && !!navigator.serviceWorker.controller,
      [PIN_CACHE, PIN_ACTIVE],
    );
  await expect.poll(installed, { timeout: 60_000 }).toBe(true);
  // A second load under the installed worker: the check now compares with the pin, and passes.
  await page.goto(`${origin}/privacy`);
  await expect.poll(() => page.getByTestId('build-check').textContent(), { timeout: 30_000 }).toContain('exactly this release');
  return page;
}

/** Whether any recorded exfiltration carries the secret in any of its usual encodings. */
function leaked(proxy: TamperProxy, secret: string): string[] {
  const all = Buffer.from(proxy.recorded.join('\n'));
  return namedEncodings(secret).filter((e) => all.includes(e.bytes)).map((e) => e.form);
}

describe.skipIf(!haveChromium)('release tripwire: the installed code warns before a room opens when the relay serves other code (real Chromium, SW on)', () => {
  const key = throwawayKey();
  let build: ReturnType<typeof copyOfBuild>;
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let root: string;

  beforeAll(async () => {
    build = copyOfBuild();
    ({ root } = await release(build.dir, '0.1.0', key));
    relay = await startRelayProcess({ STATIC_DIR: build.dir });
    proxy = await startTamperProxy(relay.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await relay?.stop();
    build?.remove();
  });

  /** Opens an invite link in the installed app after the relay turned dishonest; expects the warning and no leak. */
  async function openInviteExpectWarning(page: Page, shot: string): Promise<string> {
    const secret = roomSecret();
    const before = proxy.requests.length;
    await page.goto(`${proxy.url}/r#${secret}`);
    const warning = page.getByTestId('release-warning');
    await warning.waitFor({ timeout: 60_000 });
    expect(await warning.textContent()).toContain(RELEASE_WARNING);
    await page.screenshot({ path: `${SHOTS}/${shot}-390x844.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    // Give changed code every chance to run and report, then look at what reached the operator.
    await page.waitForTimeout(3000);
    expect(leaked(proxy, secret), 'the room secret reached the changed code').toEqual([]);
    const after = proxy.requests.slice(before);
    // No room was opened: no join, no socket.
    expect(after.filter((r) => /\/api\/rooms|UPGRADE \/ws/.test(r))).toEqual([]);
    expect(await page.getByTestId('release-checking').count()).toBe(0);
    return (await page.getByTestId('release-warning-reason').textContent()) ?? '';
  }

  it('(control) the changed code used below does leak the secret when it runs: a fresh browser with no worker', async () => {
    const html = readText(build.dir, 'index.html');
    proxy.overrides.set('/assets/evil.js', { type: 'text/javascript', body: EXFILTRATE_PAGE });
    proxy.overrides.set('/r', { type: 'text/html', body: html.replace('<script type="module"', `<script type="module" src="/assets/evil.js" integrity="${sriOf(EXFILTRATE_PAGE)}"></script>\n    <script type="module"`) });
    const p = await launchProfile();
    try {
      const page = await p.context.newPage();
      const secret = roomSecret();
      await page.goto(`${proxy.url}/r#${secret}`);
      await expect.poll(() => leaked(proxy, secret), { timeout: 15_000 }).toContain('utf8');
    } finally {
      proxy.overrides.clear();
      proxy.recorded.length = 0;
      await p.cleanup();
    }
  });

  it('(a) a changed index.html: warning, no room, nothing reaches the operator', async () => {
    const p = await launchProfile();
    try {
      const page = await install(p.context, proxy.url);
      const html = readText(build.dir, 'index.html');
      const evil = html.replace('<script type="module"', `<script type="module" src="/assets/evil.js" integrity="${sriOf(EXFILTRATE_PAGE)}"></script>\n    <script type="module"`);
      proxy.overrides.set('/assets/evil.js', { type: 'text/javascript', body: EXFILTRATE_PAGE });
      for (const path of ['/', '/index.html', '/r', '/d', '/privacy', '/scan', '/farewell']) proxy.overrides.set(path, { type: 'text/html', body: evil });
      const reason = await openInviteExpectWarning(page, 'release-warning');
      expect(reason).toContain('/index.html');
      expect(proxy.recorded).toEqual([]);
    } finally {
      proxy.overrides.clear();
      proxy.recorded.length = 0;
      await p.cleanup();
    }
  });

  it('(b) a changed sw.js that takes over at once (skipWaiting + claim) and a changed shell: warning, no room, no secret', async () => {
    const p = await launchProfile();
    try {
      const page = await install(p.context, proxy.url);
      const html = readText(build.dir, 'index.html');
      const evilHtml = html.replace('<script type="module"', `<script type="module" src="/assets/evil.js" integrity="${sriOf(EXFILTRATE_PAGE)}"></script>\n    <script type="module"`);
      // The operator's worker: reports that it runs and every request it sees, serves the changed shell to navigations.
      const evilSw = `
        const report = (s) => fetch(${JSON.stringify(RECORD_PATH)}, { method: 'POST', body: s }).catch(() => {});
        self.addEventListener('install', (e) => { report('sw-installed'); self.skipWaiting(); });
        self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
        self.addEventListener('fetch', (e) => {
          if (!e.request.url.includes(${JSON.stringify(RECORD_PATH)})) report('sw-saw:' + e.request.url);
          if (e.request.mode === 'navigate') e.respondWith(fetch('/index.html'));
        });
        self.addEventListener('message', (e) => report('sw-message:' + JSON.stringify(e.data)));
      `;
      proxy.overrides.set('/sw.js', { type: 'text/javascript', body: evilSw });
      proxy.overrides.set('/assets/evil.js', { type: 'text/javascript', body: EXFILTRATE_PAGE });
      for (const path of ['/', '/index.html', '/r']) proxy.overrides.set(path, { type: 'text/html', body: evilHtml });
      const reason = await openInviteExpectWarning(page, 'release-warning-sw');
      // The attack was real: the operator's worker installed and took over this very page.
      expect(proxy.recorded).toContain('sw-installed');
      expect(reason.length).toBeGreaterThan(0);
      expect(proxy.recorded.filter((r) => r.startsWith('page:')), 'changed page code ran').toEqual([]);
    } finally {
      proxy.overrides.clear();
      proxy.recorded.length = 0;
      await p.cleanup();
    }
  });

  it('(b2) a changed sw.js that waits politely, served only to the browser (the check gets the genuine one): warning', async () => {
    const p = await launchProfile();
    try {
      const page = await install(p.context, proxy.url);
      const genuine = readText(build.dir, 'sw.js');
      proxy.overrides.set('/sw.js', { type: 'text/javascript', body: `${genuine}\n;fetch(${JSON.stringify(RECORD_PATH)}, { method: 'POST', body: 'sw2-installed' });\n`, to: 'not-fetch' });
      const reason = await openInviteExpectWarning(page, 'release-warning-sw-polite');
      expect(reason).toContain('new service worker');
      expect(proxy.recorded).toContain('sw2-installed');
    } finally {
      proxy.overrides.clear();
      proxy.recorded.length = 0;
      await p.cleanup();
    }
  });

  it('(c) a changed JS chunk (the room page): warning, and the changed chunk never runs', async () => {
    const p = await launchProfile();
    try {
      const page = await install(p.context, proxy.url);
      const chunk = readdirSync(`${build.dir}/assets`).find((f) => /^room-.*\.js$/.test(f) && readText(build.dir, `assets/${f}`).includes('Invite link'))!;
      expect(chunk).toBeDefined();
      proxy.overrides.set(`/assets/${chunk}`, { type: 'text/javascript', body: EXFILTRATE_PAGE + readText(build.dir, `assets/${chunk}`) });
      const reason = await openInviteExpectWarning(page, 'release-warning-chunk');
      expect(reason).toContain(chunk);
      expect(proxy.recorded).toEqual([]);
    } finally {
      proxy.overrides.clear();
      proxy.recorded.length = 0;
      await p.cleanup();
    }
  });

  it('(d) a properly signed new release: the update prompt shows its version and root, no warning, and it applies after accepting', async () => {
    const p = await launchProfile();
    const next = copyOfBuild();
    let relay2: RelayProcess | undefined;
    try {
      const page = await install(p.context, proxy.url);
      // The new release: a changed worker (so the browser finds an update), re-manifested and signed with the same key.
      const { appendFileSync } = await import('node:fs');
      appendFileSync(`${next.dir}/sw.js`, '\n// release 0.1.1\n');
      const { root: nextRoot } = await release(next.dir, '0.1.1', key);
      expect(nextRoot).not.toBe(root);
      relay2 = await startRelayProcess({ STATIC_DIR: next.dir });
      proxy.retarget(relay2.port);

      await page.goto(`${proxy.url}/`);
      const prompt = page.getByTestId('update-prompt');
      await prompt.waitFor({ timeout: 60_000 });
      const short = nextRoot.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ');
      expect(await prompt.textContent()).toContain(`Update to 0.1.1 · root ${short}`);
      expect(await page.getByTestId('release-warning').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/release-update-prompt-390x844.png`, fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      // Until accepted, the new worker waits and the old one still serves.
      expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(true);

      // A mark in this document: it is gone once the page has reloaded into the new version.
      await page.evaluate(() => ((window as unknown as { oldPage: boolean }).oldPage = true));
      await prompt.getByRole('button', { name: 'Update' }).click();
      const state = () =>
        page
          .evaluate(async () => {
            const r = await navigator.serviceWorker.getRegistration();
            return JSON.stringify({ reloaded: !(window as unknown as { oldPage?: boolean }).oldPage, waiting: r?.waiting?.state, active: r?.active?.state, controller: !!navigator.serviceWorker.controller });
          })
          .catch((e: unknown) => String(e));
      await expect.poll(state, { timeout: 60_000 }).toContain('"reloaded":true');
      await page.goto(`${proxy.url}/privacy`);
      await expect.poll(() => page.getByTestId('build-version').textContent(), { timeout: 30_000 }).toBe('0.1.1');
      await expect.poll(() => page.getByTestId('build-check').textContent(), { timeout: 30_000 }).toContain('exactly this release');
      expect((await page.getByTestId('build-root').textContent())?.replace(/ /g, '')).toBe(nextRoot);
      expect(await page.getByTestId('build-signer').textContent()).toContain('another key');
      expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(false);
      await page.screenshot({ path: `${SHOTS}/release-identity-390x844.png`, fullPage: true });
    } finally {
      proxy.retarget(relay.port);
      await relay2?.stop();
      next.remove();
      await p.cleanup();
    }
  });
});
