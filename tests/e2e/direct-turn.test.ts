import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, WEBRTC_LOOPBACK_ARGS } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { startTurn, turnserverAvailable, type TurnFixture } from '../support/turn.js';
import { directPhase, openSealedFrames, recordSealingKeys, selectedPairTypes } from '../support/webrtc.js';
import { startWireTap, type WireTap } from '../support/wire-tap.js';

const ready = chromiumAvailable() && turnserverAvailable();

/** Every `candidate:` line in a decrypted description or candidate, with its type. */
function candidateTypes(plain: string): string[] {
  return [...plain.matchAll(/candidate:\S+ \d+ \S+ \d+ \S+ \d+ typ (\w+)/g)].map((m) => m[1]!);
}

/** The `rtc` frames clients sent on /signal, as their sealed base64url payloads. */
function rtcFrames(tap: WireTap, from = 0): string[] {
  return tap
    .clientWsMessages()
    .slice(from)
    .filter((m) => m.includes('"type":"rtc"'))
    .map((m) => (JSON.parse(m) as { data: string }).data);
}

async function hideIpAndCreate(alice: Page, url: string): Promise<string> {
  await alice.goto(`${url}/d`);
  await alice.getByRole('checkbox', { name: /Hide my IP/ }).check();
  await alice.getByRole('button', { name: 'Create direct link' }).click();
  const linkField = alice.getByLabel('Direct link');
  await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
  return linkField.inputValue();
}

async function hideIpAndJoin(bob: Page, url: string, link: string): Promise<void> {
  await bob.goto(`${url}/d`);
  await bob.getByRole('checkbox', { name: /Hide my IP/ }).check();
  await bob.getByLabel(/Have a direct link/).fill(link);
  await bob.getByRole('button', { name: 'Join' }).click();
  // The pasted link opens the join screen, with the options chosen before it still set.
  await bob.getByRole('heading', { name: 'Join a direct session' }).waitFor();
  expect(await bob.getByRole('checkbox', { name: /Hide my IP/ }).isChecked()).toBe(true);
  await bob.getByRole('button', { name: 'Join', exact: true }).click();
}

async function metricPaths(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Object.fromEntries([...text.matchAll(/^ghostwire_direct_sessions_(\w+)_total (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe.skipIf(!ready)('direct mode through a real TURN server (Debian coturn, the documented config)', () => {
  let turn: TurnFixture;
  let relay: RelayProcess;
  let tap: WireTap;
  let browser: Browser;

  beforeAll(async () => {
    turn = await startTurn();
    relay = await startRelayProcess({ TURN_URLS: turn.urls, TURN_SECRET: turn.secret, TURN_TTL_SECONDS: '600' });
    tap = await startWireTap(relay.port);
    browser = await launchBrowser(WEBRTC_LOOPBACK_ARGS);
  });
  afterAll(async () => {
    await browser?.close();
    await tap?.close();
    await relay?.stop();
    await turn?.stop();
  });

  it('with hide-my-IP on both sides connects relay ↔ relay, and no host or srflx candidate of either side crosses /signal', async () => {
    const contexts = [await browser.newContext(), await browser.newContext()];
    for (const c of contexts) await recordSealingKeys(c);
    const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
    const before = tap.clientWsMessages().length;

    const link = await hideIpAndCreate(alice, tap.url);
    await hideIpAndJoin(bob, tap.url, link);
    await directPhase(alice, 'open', 45_000);
    await directPhase(bob, 'open', 45_000);

    // The page's own words, and getStats() read directly: the selected pair is relay on both ends, on both sides.
    for (const p of [alice, bob]) {
      await p.getByRole('button', { name: 'Details' }).click();
      const path = p.getByTestId('path');
      expect(await path.textContent()).toMatch(/^Connected through a TURN relay server: the other person cannot see your network address/);
      expect([await path.getAttribute('data-local'), await path.getAttribute('data-remote')]).toEqual(['relay', 'relay']);
      await p.getByRole('button', { name: 'Close' }).click();
      const pairs = await selectedPairTypes(p);
      expect(pairs).toHaveLength(1);
      expect(pairs[0]).toMatchObject({ local: 'relay', remote: 'relay' });
      // Allocated by this coturn: both ends are ports of its relay range on its relay address.
      expect(pairs[0]!.localAddress).toBe('127.0.0.1');
      for (const port of [pairs[0]!.localPort, pairs[0]!.remotePort]) {
        expect(port).toBeGreaterThanOrEqual(turn.minPort);
        expect(port).toBeLessThanOrEqual(turn.maxPort);
      }
    }

    const canary = `canary-${randomBytes(8).toString('hex')} over TURN`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(canary);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(canary);
    await bob.getByRole('textbox', { name: 'Message' }).fill('reply over TURN');
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('reply over TURN');

    // The relay counted one relay-path session (reported by one side), and nothing else.
    expect(await metricPaths(relay.url)).toEqual({ host: 0, srflx: 0, relay: 1, relay_fallback: 0 });

    // Open every sealed rtc frame either side sent through the relay, with the session key held in the page.
    const frames = rtcFrames(tap, before);
    expect(frames.length).toBeGreaterThanOrEqual(4);
    const opened = await openSealedFrames(alice, frames);
    expect(opened.filter((o) => o === null), 'rtc frames the session key does not open').toEqual([]);
    const plain = opened as string[];
    expect(plain.some((p) => p.includes('"k":"description"'))).toBe(true);
    const types = plain.flatMap(candidateTypes);
    expect(types.length, 'relay candidates were signalled').toBeGreaterThanOrEqual(2);
    expect(new Set(types)).toEqual(new Set(['relay']));
    // Nor in the SDP of the descriptions (a candidate can ride inside one).
    for (const p of plain) expect(p).not.toMatch(/typ (host|srflx|prflx)/);
    expect(errors).toEqual([]);
    for (const c of contexts) await c.close();
  });

  it("refuses to relay to a peer in the documented denied ranges: the loopback peer is refused and the relay fallback is offered", async () => {
    // A second coturn whose only obstacle is the config's denied-peer-ip=127.0.0.0-127.255.255.255 line.
    const denied = await startTurn({ loopback: 'denied-by-config' });
    const relay2 = await startRelayProcess({ TURN_URLS: denied.urls, TURN_SECRET: denied.secret });
    try {
      const contexts = [await browser.newContext(), await browser.newContext()];
      const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
      const link = await hideIpAndCreate(alice, relay2.url);
      await hideIpAndJoin(bob, relay2.url, link);
      const started = Date.now();
      await directPhase(alice, 'no-path', 60_000);
      process.stderr.write(`direct-turn: denied peer → no-path after ${Date.now() - started} ms\n`);
      await alice.getByRole('button', { name: 'Continue through the relay' }).click();
      await directPhase(alice, 'relayed');
      await alice.getByRole('textbox', { name: 'Message' }).fill('through the relay instead');
      await alice.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('through the relay instead');
      expect(await metricPaths(relay2.url)).toEqual({ host: 0, srflx: 0, relay: 0, relay_fallback: 1 });
      for (const c of contexts) await c.close();
    } finally {
      await relay2.stop();
      await denied.stop();
    }
  });

  it('when TURN refuses the credentials (a relay with the wrong TURN_SECRET), says so and offers the relay at once', async () => {
    const wrong = await startRelayProcess({ TURN_URLS: turn.urls, TURN_SECRET: 'not-the-secret-coturn-has-0123456789' });
    try {
      const contexts = [await browser.newContext(), await browser.newContext()];
      const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
      // "Test my connection" before starting: TURN refused, so with hide-my-IP nothing can connect.
      await alice.goto(`${wrong.url}/d`);
      await alice.getByRole('checkbox', { name: /Hide my IP/ }).check();
      await alice.getByRole('button', { name: 'Test my connection' }).click();
      const test = alice.getByRole('region', { name: 'Connection test' });
      await test.waitFor({ timeout: 20_000 });
      expect(await test.locator('[data-path=turn]').getAttribute('data-verdict')).toBe('failed');
      expect(await test.textContent()).toContain('refused the credentials');

      const link = await hideIpAndCreate(alice, wrong.url);
      await hideIpAndJoin(bob, wrong.url, link);
      const started = Date.now();
      await directPhase(alice, 'no-path', 15_000);
      process.stderr.write(`direct-turn: refused credentials → no-path after ${Date.now() - started} ms\n`);
      expect(await alice.getByRole('region', { name: 'Connection paths' }).textContent()).toContain('refused the credentials');
      for (const c of contexts) await c.close();
    } finally {
      await wrong.stop();
    }
  });

  it('"Test my connection" against a working TURN reports the TURN path and the direct path from this network', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${relay.url}/d`);
    await page.getByRole('button', { name: 'Test my connection' }).click();
    const test = page.getByRole('region', { name: 'Connection test' });
    await test.waitFor({ timeout: 20_000 });
    expect(await test.locator('[data-path=turn]').getAttribute('data-verdict')).toBe('works');
    expect(await test.locator('[data-path=direct]').getAttribute('data-verdict')).toBe('works');
    expect(await test.locator('[data-path=stun]').getAttribute('data-verdict')).toBe('not-offered');
    expect(await test.textContent()).toContain('configures no STUN server');
    await context.close();
  });
});
