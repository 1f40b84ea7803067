import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { chromiumAvailable, launchBrowser, WEBRTC_LOOPBACK_ARGS } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SHOTS } from '../support/review.js';
import { encodings, startWireTap, type WireTap } from '../support/wire-tap.js';
import { channelSizes, directPhase, recordChannelSends, reviewConnected, securityLog } from '../support/webrtc.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('direct mode over loopback WebRTC (two Chromium contexts)', () => {
  let relay: RelayProcess;
  let tap: WireTap;
  let browser: Browser;

  beforeAll(async () => {
    relay = await startRelayProcess();
    tap = await startWireTap(relay.port);
    browser = await launchBrowser(WEBRTC_LOOPBACK_ARGS);
  });
  afterAll(async () => {
    await browser?.close();
    await tap?.close();
    await relay?.stop();
  });

  it('opens a direct session from a /d link, agrees on a safety number and exchanges one-size encrypted frames both ways, cover included', async () => {
    const contexts = [await browser.newContext({ serviceWorkers: 'allow' }), await browser.newContext({ serviceWorkers: 'allow' })];
    for (const c of contexts) await recordChannelSends(c);
    const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));

    // Only the creator asks for cover traffic; the joiner leaves it off.
    await alice.goto(`${tap.url}/d`);
    await alice.getByRole('checkbox', { name: /Cover traffic/ }).check();
    await alice.getByRole('button', { name: 'Create direct link' }).click();
    const linkField = alice.getByLabel('Direct link');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
    const link = await linkField.inputValue();
    const secret = link.split('#')[1]!;
    await directPhase(alice, 'waiting');

    // The joiner chooses options before joining, as the creator did.
    await bob.goto(link);
    expect(bob.url()).toBe(`${tap.url}/d`);
    await bob.getByRole('heading', { name: 'Join a direct session' }).waitFor();
    expect(await bob.getByRole('checkbox', { name: /Cover traffic/ }).isChecked()).toBe(false);
    expect(await bob.getByRole('checkbox', { name: /Hide my IP/ }).count()).toBe(1);
    await bob.getByRole('button', { name: 'Join', exact: true }).click();
    await directPhase(alice, 'open');
    await directPhase(bob, 'open');
    // Once the other person is in, the link (the session's secret) is no longer on screen.
    await expect.poll(() => alice.getByLabel('Direct link').count()).toBe(0);

    for (const p of [alice, bob]) {
      const lines = await securityLog(p);
      expect(lines.filter((l) => l.includes('Connected directly'))).toHaveLength(1);
      // Plain words: no candidate types or negotiation roles in what people read.
      expect(lines.join(' ')).not.toMatch(/prflx|polite|ECDH|HKDF/);
    }
    // One safety number on both screens, 60 digits in 12 groups.
    const sa = await alice.getByTestId('safety-number').textContent();
    const sb = await bob.getByTestId('safety-number').textContent();
    expect(sa).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(sb).toBe(sa);
    // Loopback: a direct path from a host candidate, no TURN (the remote side may show as peer-reflexive
    // when its connectivity check arrives before its sealed candidate does); said in plain words.
    const path = alice.getByTestId('path');
    expect(await path.getAttribute('data-local')).toBe('host');
    expect(await path.getAttribute('data-remote')).toMatch(/^(host|prflx)$/);
    expect(await path.textContent()).toMatch(/^Connected directly: the other person's device can see your network address/);

    const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
    const canaryB = `canary-${randomBytes(8).toString('hex')} from bob ${'ü'.repeat(2500)}`;
    const emoji = '😀'.repeat(1500);
    const euro = '€'.repeat(3000);
    await alice.getByRole('textbox', { name: 'Message' }).fill(canaryA);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(canaryA);
    // The sender sees the other app's encrypted receipt.
    await expect.poll(() => alice.getByTestId('delivery').last().getAttribute('data-delivery'), { timeout: 15_000 }).toBe('delivered');
    for (const body of [canaryB, emoji, euro]) {
      await bob.getByRole('textbox', { name: 'Message' }).fill(body);
      await bob.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => alice.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(body);
    }
    await alice.getByRole('textbox', { name: 'Message' }).fill(emoji);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(emoji);

    // Cover runs both ways although only alice asked: each side receives and drops the other's.
    for (const p of [alice, bob]) {
      await expect.poll(() => p.getByTestId('traffic').textContent(), { timeout: 20_000 }).toMatch(/received and thrown away: [1-9]/);
    }
    expect(await bob.getByTestId('cover-state').textContent()).toBe('On for both of you, because the other person asked for it.');
    expect(await bob.getByTestId('traffic').textContent()).toMatch(/\(([1-9]\d*) of them cover\)/);
    expect(await bob.getByTestId('message').count()).toBe(5);

    // Every frame either side put on a data channel is exactly 4096 bytes: long messages, receipts and cover alike.
    const sizesA = await channelSizes(alice);
    const sizesB = await channelSizes(bob);
    expect(sizesA.length).toBeGreaterThanOrEqual(5);
    expect(sizesB.length).toBeGreaterThanOrEqual(8);
    expect(new Set([...sizesA, ...sizesB])).toEqual(new Set([DIRECT_FRAME_BYTES]));

    // Verification is recorded in the security log, which lists events, never content.
    await bob.getByText('Safety number as a QR code').click();
    await expect.poll(() => bob.getByRole('img', { name: 'Safety number QR code' }).isVisible()).toBe(true);
    await bob.getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(() => bob.getByRole('button', { name: 'Verified' }).isDisabled()).toBe(true);
    const audit = (await securityLog(bob)).join(' ');
    expect(audit).toContain('Key check passed');
    expect(audit).toContain('the secret in your link');
    expect(audit).toContain('You marked the safety number as checked');
    expect(audit).not.toContain('canary');

    // The relay saw neither the messages nor D (SDP and candidates crossed it sealed, in one-size frames).
    const seen = Buffer.concat([tap.fromClients(), tap.fromRelay()]);
    for (const needle of [canaryA, canaryB.slice(0, 40), secret]) {
      for (const form of encodings(needle)) expect(seen.includes(form), `relay saw ${needle.slice(0, 30)}`).toBe(false);
    }
    const signalFrames = tap.clientWsMessages();
    const rtc = signalFrames.filter((m) => m.includes('"type":"rtc"'));
    expect(rtc.length).toBeGreaterThan(0);
    for (const m of rtc) expect((JSON.parse(m) as { data: string }).data.length).toBe(Math.ceil((DIRECT_FRAME_BYTES * 4) / 3));
    expect(signalFrames.some((m) => m.includes('a=fingerprint') || m.includes('candidate:'))).toBe(false);

    // The connected session on a phone and a desktop: chat first, the link gone, nothing serious for axe.
    for (const p of [alice, bob]) await p.getByRole('button', { name: 'Close' }).click();
    await bob.getByRole('textbox', { name: 'Message' }).fill('Shall we meet at the station at six?');
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('Shall we meet at the station at six?');
    await alice.getByRole('textbox', { name: 'Message' }).fill('Yes, see you there.');
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('delivery').last().getAttribute('data-delivery'), { timeout: 15_000 }).toBe('delivered');
    await reviewConnected(alice, 'direct-connected');
    await reviewConnected(bob, 'direct-connected-joiner');

    // The screen shield acts on the direct page as on room messages, and says it is best effort where it acts.
    await alice.getByRole('button', { name: 'Details' }).click();
    await alice.getByRole('checkbox', { name: /Blur messages when I switch away/ }).check();
    await alice.getByRole('button', { name: 'Close' }).click();
    const menuBlocked = await alice.getByTestId('message').first().evaluate((el) => !el.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true })));
    expect(menuBlocked).toBe(true);
    await alice.setViewportSize({ width: 390, height: 844 });
    await alice.evaluate(() => window.dispatchEvent(new Event('blur')));
    const note = alice.getByRole('note');
    await note.waitFor();
    expect(await note.textContent()).toContain('best effort');
    expect(await alice.getByTestId('message-area').locator('.blur-md').count()).toBe(1);
    await alice.screenshot({ path: `${SHOTS}/direct-shielded-390x844.png` });
    await alice.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => note.count()).toBe(0);
    expect(errors).toEqual([]);
    for (const c of contexts) await c.close();
  });
  it('with hide-my-IP and no TURN server, offers the relay fallback and then talks through it with the same key', async () => {
    const contexts = [await browser.newContext(), await browser.newContext()];
    const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
    const before = tap.clientWsMessages().length;

    await alice.goto(`${tap.url}/d`);
    await alice.getByRole('checkbox', { name: /Hide my IP/ }).check();
    // Said at once, on the form, before anything starts.
    await alice.getByTestId('no-turn').waitFor({ timeout: 5_000 });
    expect(await alice.getByTestId('no-turn').textContent()).toContain('Hide my IP needs a TURN server, and this relay has none');
    await alice.getByRole('button', { name: 'Create direct link' }).click();
    const linkField = alice.getByLabel('Direct link');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
    expect(await alice.getByRole('alert').textContent()).toContain('Hide my IP needs a TURN server');
    await bob.goto(await linkField.inputValue());
    const joinedAt = Date.now();
    await bob.getByRole('button', { name: 'Join', exact: true }).click();

    // Relay-only ICE with no TURN server cannot connect: the page offers the relay as soon as the keys agree, not after a timeout,
    // and its connection-paths region says why.
    await directPhase(alice, 'no-path', 15_000);
    expect(Date.now() - joinedAt).toBeLessThan(10_000);
    expect(await alice.getByRole('alert').textContent()).toContain('Hide my IP needs a TURN server');
    expect(await alice.getByRole('region', { name: 'Connection paths' }).textContent()).toMatch(/TURN relay: not offered by this relay.*No peer-to-peer path can connect from here/);
    await alice.getByRole('button', { name: 'Continue through the relay' }).click();
    await directPhase(alice, 'relayed');

    const canary = `canary-${randomBytes(8).toString('hex')} via relay`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(canary);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(canary);
    await directPhase(bob, 'relayed');
    await bob.getByRole('textbox', { name: 'Message' }).fill('reply via relay');
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('reply via relay');

    // On the relay the fallback frames are sealed, whole 4 KiB units, and the text is not visible.
    const data = tap.clientWsMessages().slice(before).filter((m) => m.includes('"type":"data"'));
    expect(data.length).toBeGreaterThanOrEqual(2);
    for (const m of data) expect((JSON.parse(m) as { data: string }).data.length).toBe(Math.ceil((DIRECT_FRAME_BYTES * 4) / 3));
    for (const form of encodings(canary)) expect(Buffer.concat([tap.fromClients(), tap.fromRelay()]).includes(form)).toBe(false);
    expect(errors).toEqual([]);
    for (const c of contexts) await c.close();
  });
  it('pairs two strangers, warns that only the safety number protects them, and connects', async () => {
    const contexts = [await browser.newContext(), await browser.newContext()];
    const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    for (const p of [a, b]) {
      await p.goto(`${tap.url}/d`);
      await p.getByRole('button', { name: 'Meet a stranger' }).click();
    }
    for (const p of [a, b]) {
      await directPhase(p, 'open');
      expect(await p.getByText(/only comparing the safety number protects you/).count()).toBe(1);
      expect(await p.getByLabel('Direct link').count()).toBe(0);
      expect((await securityLog(p)).join(' ')).toContain('you met as strangers');
    }
    expect(await a.getByTestId('safety-number').textContent()).toBe(await b.getByTestId('safety-number').textContent());
    for (const p of [a, b]) await p.getByRole('button', { name: 'Close' }).click();
    await a.getByRole('textbox', { name: 'Message' }).fill('hello stranger');
    await a.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => b.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('hello stranger');
    for (const c of contexts) await c.close();
  });
});
