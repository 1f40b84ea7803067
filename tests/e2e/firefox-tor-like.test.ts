import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickButton, firefoxAvailable, isCutOffLoad, launchFirefox, seen, texts, TOR_LIKE_PREFS, type FirefoxProfile } from '../support/firefox.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connectedFx, createRoomFx, enterFx, panicFx, sameGroupFx, sayFx } from '../support/firefox-flow.js';

const haveFirefox = firefoxAvailable();

describe.skipIf(!haveFirefox)('Firefox with service workers and WebRTC off (as Tor Browser)', () => {
  let relay: RelayProcess;
  let alice: FirefoxProfile;
  let bob: FirefoxProfile;
  beforeAll(async () => {
    relay = await startRelayProcess();
    alice = await launchFirefox(TOR_LIKE_PREFS);
    bob = await launchFirefox(TOR_LIKE_PREFS);
  });
  afterAll(async () => {
    await alice?.cleanup();
    await bob?.cleanup();
    await relay?.stop();
  });

  it('says which protections are missing, rooms work, direct mode goes through the relay from the start, and panic works', async () => {
    const [a, b] = [alice.page, bob.page];
    const errors: string[] = [];
    for (const p of [a, b]) p.on('pageerror', (e) => errors.push((e as Error).message));

    await a.goto(`${relay.url}/`);
    // The prefs took: this really is a browser without either.
    expect(await a.evaluate(() => ({ sw: 'serviceWorker' in navigator, rtc: typeof (window as { RTCPeerConnection?: unknown }).RTCPeerConnection }))).toEqual({
      sw: false,
      rtc: 'undefined',
    });
    const missing = (await texts(a, '[aria-label="Missing in this browser"]')).join(' ');
    expect(missing).toContain('keeps no app shell, so there is nothing to purge');
    expect(missing).toContain('direct mode is not available peer to peer. Use a room');

    // Rooms work: create, join by link, chat both ways.
    const link = await createRoomFx(a, relay.url);
    await b.goto(`${relay.url}/`);
    await enterFx(b);
    await b.goto(link);
    await connectedFx(b);
    await sameGroupFx(a, b);
    await sayFx(a, b, 'hello without a service worker');
    await sayFx(b, a, 'and without WebRTC');

    // Direct mode in a second tab each: no attempt at WebRTC, the relay path offered as soon as keys are agreed.
    const [da, db] = [await alice.browser.newPage(), await bob.browser.newPage()];
    for (const p of [da, db]) p.on('pageerror', (e) => errors.push((e as Error).message));
    await da.goto(`${relay.url}/d`);
    expect((await texts(da, '[aria-label="Missing in this browser"]')).join(' ')).toContain('direct mode is not available peer to peer');
    await clickButton(da, 'Create direct link');
    await da.waitForFunction(() => /\/d#[\w-]{43}$/.test(document.querySelector<HTMLInputElement>('#direct-link')?.value ?? ''));
    const directLink = await da.$eval('#direct-link', (el) => (el as HTMLInputElement).value);
    await db.goto(directLink);
    // Opening a direct link asks first (options, then Join), as in direct-session.test.ts.
    await clickButton(db, 'Join');
    const started = Date.now();
    for (const p of [da, db]) await seen(p, '[role=status][data-phase="no-path"]', 10_000);
    process.stderr.write(`firefox-tor-like: relay path offered ${Date.now() - started} ms after the join\n`);
    expect((await texts(da, '[role=alert]')).join(' ')).toContain('This browser has no WebRTC');
    await clickButton(da, 'Continue through the relay');
    await seen(da, '[role=status][data-phase="relayed"]');
    await sayFx(da, db, 'direct, through the relay');
    await seen(db, '[role=status][data-phase="relayed"]');
    await sayFx(db, da, 'reply through the relay');

    // Loads cut off by leaving a page (the test's navigations, later the panic) are not errors; anything else is.
    expect(errors.filter((e) => !isCutOffLoad(e))).toEqual([]);

    // Panic by hotkey still wipes and leaves: nothing to purge in a worker, and no error for its absence.
    await a.bringToFront();
    await panicFx(a);
    await b.waitForFunction(() => document.querySelector('[data-testid=participants]')?.textContent === '1 here', { timeout: 30_000 });
    expect(errors.filter((e) => !isCutOffLoad(e))).toEqual([]);
    if (errors.length) process.stderr.write(`firefox-tor-like: cut-off loads: ${errors.join(' | ')}\n`);
  }, 180_000);
});
