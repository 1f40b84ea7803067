import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchProfile } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, linkSecret, say, workerReady } from '../support/room-flow.js';
import { INSPECTOR_PATH, plantResidue, readSiteStorage } from '../support/site-storage.js';
import { startWireTap, type WireTap } from '../support/wire-tap.js';

const haveChromium = chromiumAvailable();
const SHELL = /^workbox-precache-v2-/;
// Kept by a plain panic on purpose: the public manifest of the installed release, which lets the old code
// notice other code later (issue 14; docs/anti-forensics.md). A deep panic removes it with the shell.
const PIN = 'ghostwire-release-pin';
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Dispatches real DeviceMotionEvents: `swings` rises past the shake threshold, each followed by a rest. */
async function shake(page: Page, swings: number): Promise<void> {
  await page.evaluate(async (n) => {
    for (let i = 0; i < n; i++) {
      for (const x of [30, 0]) {
        window.dispatchEvent(new DeviceMotionEvent('devicemotion', { acceleration: { x, y: 0, z: 0 }, accelerationIncludingGravity: { x, y: 0, z: 9.81 }, interval: 16 }));
        await new Promise((r) => setTimeout(r, 60));
      }
    }
  }, swings);
}

describe.skipIf(!haveChromium)('panic (real Chromium, fresh profile per test, SW enabled)', () => {
  let relay: RelayProcess;
  let tap: WireTap;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    relay = await startRelayProcess();
    tap = await startWireTap(relay.port);
  });
  afterAll(async () => {
    process.stdout.write(`panic timings (trigger → about:blank, ms): ${JSON.stringify(timings)}\n`);
    await tap?.close();
    await relay?.stop();
  });

  /**
   * A room with one message, a stand-in ghost session, and residue planted in
   * every storage a purge must empty; then `trigger` panics. Checks what a
   * panic promises, and returns how long trigger → about:blank took.
   */
  async function panicScenario(name: string, trigger: (page: Page) => Promise<void>, prepare?: (page: Page) => Promise<void>): Promise<void> {
    const profile = await launchProfile();
    try {
      const page = await profile.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const secret = linkSecret(await createRoom(page, tap.url));
      await workerReady(page);
      const canary = `canary-${randomBytes(8).toString('hex')}`;
      await say(page, page, canary);

      const before = await readSiteStorage(profile.context, tap.url);
      const shellName = Object.keys(before.caches).find((n) => SHELL.test(n))!;
      expect(shellName).toBeDefined();
      expect(Object.keys(before.caches).sort()).toEqual([shellName, PIN, 'ghostwire-session-open'].sort());

      // Residue only a purge removes: the app writes none of it, so plant it to prove the wipe reaches it.
      await plantResidue(page);
      const blobUrl = await page.evaluate(async (PNG_1PX) => {
        localStorage.setItem('planted', 'x');
        sessionStorage.setItem('planted', 'x');
        document.cookie = 'planted=x; path=/';
        // A decrypted image would be a blob URL like this one (a 1×1 PNG).
        const png = Uint8Array.from(atob(PNG_1PX), (c) => c.charCodeAt(0));
        return URL.createObjectURL(new Blob([png], { type: 'image/png' }));
      }, PNG_1PX);
      // The page's ghost: the newest one the relay handed over (the tap saw the answer; earlier tests made others).
      const created = [...tap.fromRelay().toString('latin1').matchAll(/\{[^{}]*"ghostId":"[\w-]+"[^{}]*\}/g)].at(-1);
      expect(created, 'the page created a ghost').toBeDefined();
      const token = (JSON.parse(created![0]) as { token: string }).token;
      const footprint = () => fetch(`${tap.url}/api/ghosts/me/footprint`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await footprint()).toBe(200);

      const inspector = await profile.context.newPage();
      await inspector.goto(`${tap.url}${INSPECTOR_PATH}`);
      // Loaded as an image: the CSP allows blob: for img-src only, as the app would use it. Loaded in a
      // page that never saw it before, so no memory cache can answer for a revoked URL.
      const fetchBlob = (from: Page) =>
        from.evaluate(
          (u) =>
            new Promise<string>((resolve) => {
              const img = new Image();
              img.onload = () => resolve('loaded');
              img.onerror = () => resolve('unreachable');
              img.src = u;
            }),
          blobUrl,
        );
      expect(await fetchBlob(page)).toBe('loaded');
      const planted = await readSiteStorage(profile.context, tap.url, inspector);
      expect(planted.indexedDb).toContain('planted');
      expect(planted.localStorage).toContain('planted');

      await prepare?.(page);
      const t0 = Date.now();
      await trigger(page);
      await page.waitForURL('about:blank', { timeout: 10_000 });
      timings[name] = Date.now() - t0;
      // DESIGN §6: "well under a second" from the gesture to a blank page.
      expect(timings[name]).toBeLessThan(1000);

      // The destroy beacon reached the relay, and the relay no longer knows the ghost.
      await expect.poll(() => tap.fromClients().toString('latin1'), { timeout: 10_000 }).toContain('POST /api/ghosts/me/destroy ');
      await expect.poll(footprint, { timeout: 10_000 }).toBe(401);

      // Cache Storage holds the shell and nothing else, unchanged; IndexedDB, web storage and cookies are empty.
      await expect
        .poll(async () => {
          const s = await readSiteStorage(profile.context, tap.url, inspector);
          return { caches: s.caches, indexedDb: s.indexedDb, localStorage: s.localStorage, cookies: s.cookies };
        }, { timeout: 15_000 })
        .toEqual({ caches: { [shellName]: before.caches[shellName], [PIN]: before.caches[PIN] }, indexedDb: [], localStorage: [], cookies: '' });
      const fresh = await profile.context.newPage();
      await fresh.goto(`${tap.url}${INSPECTOR_PATH}`);
      expect(await fetchBlob(fresh)).toBe('unreachable');

      // Back and forward show nothing of the chat.
      for (const move of [() => page.goBack(), () => page.goForward()]) {
        await move().catch(() => null);
        await page.waitForLoadState();
        const html = await page.content();
        expect(html).not.toContain(canary);
        expect(html).not.toContain(secret);
        expect(await page.locator('#invite').count()).toBe(0);
      }
      // This tab's sessionStorage for the origin was cleared too.
      await page.goto(`${tap.url}${INSPECTOR_PATH}`);
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await profile.cleanup();
    }
  }

  it('panics on the hotkey (Ctrl+Shift+X)', async () => {
    await panicScenario('hotkey', (page) => page.keyboard.press('Control+Shift+X'));
  });

  it('panics on a shake, and not on a bump', async () => {
    await panicScenario(
      'shake',
      // The fourth swing inside the window completes the shake.
      (page) =>
        page
          .evaluate(() => {
            window.dispatchEvent(new DeviceMotionEvent('devicemotion', { acceleration: { x: 30, y: 0, z: 0 }, interval: 16 }));
          })
          .catch(() => undefined),
      async (page) => {
        await shake(page, 2);
        await page.waitForTimeout(1500); // the first swings fall out of the detector's window
        await shake(page, 3);
        // Two bumps, then three swings: not yet a shake.
        expect(page.url()).not.toBe('about:blank');
        expect(await page.locator('#invite').count()).toBe(1);
      },
    );
  });

  it('a chat left without a panic and reached again by Back shows nothing of it (back/forward cache)', async () => {
    const profile = await launchProfile();
    try {
      const page = await profile.context.newPage();
      const secret = linkSecret(await createRoom(page, tap.url));
      await workerReady(page);
      const canary = `canary-${randomBytes(8).toString('hex')}`;
      await say(page, page, canary);
      await page.goto(`${tap.url}${INSPECTOR_PATH}`);
      await page.goBack();
      await page.waitForLoadState();
      // Either a fresh load ("back_forward": Playwright passes --disable-back-forward-cache, and this Chromium
      // refuses the cache for no-store pages that used a WebSocket anyway), or a restore from the cache of a
      // page wiped and locked on pagehide, which then reloads itself ("reload"). Neither may show the chat.
      await page.waitForFunction(() => document.querySelector('main') !== null);
      const how = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type);
      expect(['back_forward', 'reload']).toContain(how);
      const html = await page.content();
      expect(html).not.toContain(canary);
      expect(html).not.toContain(secret);
    } finally {
      await profile.cleanup();
    }
  });
});
