import type { Page } from 'playwright-core';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, freshProfileDir, launchBrowser, launchProfile, spawnChromium } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, createRoom, sameGroup, say, workerReady } from '../support/room-flow.js';
import { plantResidue, readSiteStorage, workerCacheNames } from '../support/site-storage.js';

const haveChromium = chromiumAvailable();
const SHELL = /^workbox-precache-v2-/;
const MARKER = 'ghostwire-session-open';
// The release pin (sw/src/release-pin.ts) is kept on purpose by every purge but a deep one: it holds only
// the public manifest of the installed release, and is what lets the old code notice other code (issue 14).
const PIN = 'ghostwire-release-pin';

describe.skipIf(!haveChromium)('service worker: partitioning, wipe-on-close, start-up purge (real Chromium)', () => {
  let relay: RelayProcess;

  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('stores the shell only: a chat (API calls, /ws) adds nothing to Cache Storage', async () => {
    const a = await launchProfile();
    const browser = await launchBrowser();
    try {
      const alice = await a.context.newPage();
      const link = await createRoom(alice, relay.url);
      await workerReady(alice);
      const shellBefore = await readSiteStorage(a.context, relay.url);
      const bob = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
      await bob.goto(link);
      await connected(bob);
      await sameGroup(alice, bob);
      await say(alice, bob, 'hello over the relay');
      await say(bob, alice, 'and back');
      // A reload goes through the worker too (shell from cache, join-token POST to the network).
      await alice.reload();
      await workerReady(alice);
      const after = await readSiteStorage(a.context, relay.url);
      const shell = Object.keys(after.caches).find((n) => SHELL.test(n))!;
      expect(Object.keys(after.caches).sort()).toEqual([MARKER, PIN, shell].sort());
      expect(after.caches[shell]).toEqual(shellBefore.caches[shell]);
      expect(after.caches[PIN]).toEqual([`${relay.url}/.well-known/ghostwire/pin/active`]);
      expect(after.caches[MARKER]).toEqual([]);
      for (const url of after.caches[shell]!) expect(url).toMatch(/\/(assets\/|icons\/|index\.html|manifest\.webmanifest)/);
      expect(after.caches[shell]!.some((u) => u.includes('/api/'))).toBe(false);
      expect(after.indexedDb).toEqual([]);
      expect(after.localStorage).toEqual([]);
    } finally {
      await browser.close();
      await a.cleanup();
    }
  });

  it('purges when the last tab closes', async () => {
    const p = await launchProfile();
    try {
      const keep = await p.context.newPage(); // about:blank keeps the browser open, and is not a client of the app
      const page = await p.context.newPage();
      await page.goto(`${relay.url}/`);
      await workerReady(page);
      await plantResidue(page);
      expect(await workerCacheNames(p.context)).toEqual(expect.arrayContaining(['planted', MARKER]));
      await page.close();
      // The worker hears "going-away" on pagehide, waits out CLOSE_GRACE_MS, finds no page left and purges.
      await expect.poll(async () => (await workerCacheNames(p.context))?.sort(), { timeout: 20_000 }).toEqual([PIN, expect.stringMatching(SHELL)]);
      const s = await readSiteStorage(p.context, relay.url);
      expect(s.indexedDb).toEqual([]);
      await keep.close();
    } finally {
      await p.cleanup();
    }
  });

  it('does not purge while another tab of the app is still open', async () => {
    const p = await launchProfile();
    try {
      const one = await p.context.newPage();
      await one.goto(`${relay.url}/`);
      await workerReady(one);
      const two = await p.context.newPage();
      await two.goto(`${relay.url}/`);
      await workerReady(two);
      await plantResidue(two);
      await one.close();
      await two.waitForTimeout(4000); // longer than CLOSE_GRACE_MS: a purge would have run by now
      expect((await workerCacheNames(p.context))?.sort()).toEqual(expect.arrayContaining(['planted', MARKER]));
    } finally {
      await p.cleanup();
    }
  });

  /** A session in `dir`'s profile with residue planted, then the browser SIGKILLed (no close purge can run). */
  async function killMidSession(dir: string): Promise<void> {
    const chrome = await spawnChromium(dir);
    const page = await chrome.context.newPage();
    await page.goto(`${relay.url}/`);
    await workerReady(page);
    await plantResidue(page);
    expect(await page.evaluate(() => caches.keys())).toEqual(expect.arrayContaining(['planted', MARKER]));
    // Give Chromium time to write its Cache Storage index, as any real session would have.
    await page.waitForTimeout(6000);
    await chrome.kill();
  }

  /** The app page `page` runs under a worker that purged: only the shell, the pin and its own marker left, no database. */
  async function expectPurged(page: Page): Promise<void> {
    await workerReady(page);
    await expect
      .poll(async () => (await page.evaluate(() => caches.keys())).filter((n) => !SHELL.test(n)).sort(), { timeout: 20_000 })
      .toEqual([PIN, MARKER].sort());
    expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
  }

  it('purges at the next start after the browser was killed (SIGKILL)', async () => {
    const dir = freshProfileDir();
    try {
      await killMidSession(dir);
      const chrome = await spawnChromium(dir);
      try {
        // The first page of the app starts the worker; it finds the marker, no live page, and purges.
        const again = await chrome.context.newPage();
        await again.goto(`${relay.url}/`);
        await expectPurged(again);
      } finally {
        await chrome.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('purges at the next start after a kill even when the first page of the app is not controlled by the worker', async () => {
    const dir = freshProfileDir();
    try {
      await killMidSession(dir);
      const chrome = await spawnChromium(dir);
      try {
        // This page loads past the worker (as after a hard reload): it is live but uncontrolled,
        // so it is not the session that was running, and it must not keep that session's leftovers
        // (the start-up purge was seen skipped while such a page was open).
        const fresh = await chrome.context.newPage();
        const cdp = await chrome.context.newCDPSession(fresh);
        await cdp.send('Network.enable');
        await cdp.send('Network.setBypassServiceWorker', { bypass: true });
        await fresh.goto(`${relay.url}/`);
        expect(await fresh.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
        // Then the app is opened as usual: its navigation is the worker's first event since the start.
        const again = await chrome.context.newPage();
        await again.goto(`${relay.url}/`);
        await expectPurged(again);
      } finally {
        await chrome.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a deep wipe leaves no cache and no worker', async () => {
    const p = await launchProfile();
    try {
      const page = await p.context.newPage();
      await page.goto(`${relay.url}/`);
      await workerReady(page);
      await plantResidue(page);
      const acked = page.evaluate(
        () =>
          new Promise<unknown>((resolve) => {
            navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data));
            navigator.serviceWorker.controller!.postMessage({ type: 'deep-wipe' });
          }),
      );
      expect(await acked).toEqual({ type: 'wiped', deep: true });
      await page.goto('about:blank');
      // Chromium removes an unregistered worker once its last page is gone, which it learns a moment after the
      // navigation (the page's release check may still have fetches to abort): the end state is the same.
      await expect
        .poll(async () => {
          const s = await readSiteStorage(p.context, relay.url);
          return { caches: s.caches, indexedDb: s.indexedDb, workers: s.workers };
        }, { timeout: 10_000 })
        .toEqual({ caches: {}, indexedDb: [], workers: [] });
    } finally {
      await p.cleanup();
    }
  });

  it('POST /api/wipe makes the browser clear the site (Clear-Site-Data)', async () => {
    const p = await launchProfile();
    try {
      const page = await p.context.newPage();
      await page.goto(`${relay.url}/`);
      await workerReady(page);
      await plantResidue(page);
      await page.evaluate(() => localStorage.setItem('planted', 'x'));
      const status = await page.evaluate(async () => (await fetch('/api/wipe', { method: 'POST' })).status);
      expect(status).toBe(204);
      await page.goto('about:blank');
      await expect
        .poll(async () => {
          const s = await readSiteStorage(p.context, relay.url);
          return { caches: Object.keys(s.caches), indexedDb: s.indexedDb, localStorage: s.localStorage, workers: s.workers };
        }, { timeout: 15_000 })
        .toEqual({ caches: [], indexedDb: [], localStorage: [], workers: [] });
    } finally {
      await p.cleanup();
    }
  });
});
