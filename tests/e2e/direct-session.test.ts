import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_FRAME_UNIT_BYTES } from '../../protocol/src/limits.js';
import { chromiumAvailable, launchBrowser, WEBRTC_LOOPBACK_ARGS } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { encodings, startWireTap, type WireTap } from '../support/wire-tap.js';
import { seriousViolations, screenshotAtViewports } from '../support/review.js';
import { channelSizes, directPhase, recordChannelSends } from '../support/webrtc.js';

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

  it('opens a direct session from a /d link, agrees on a safety number and exchanges padded, encrypted messages both ways', async () => {
    const contexts = [await browser.newContext({ serviceWorkers: 'allow' }), await browser.newContext({ serviceWorkers: 'allow' })];
    for (const c of contexts) await recordChannelSends(c);
    const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));

    await alice.goto(`${tap.url}/d`);
    await alice.getByRole('checkbox', { name: /Cover traffic/ }).check();
    await alice.getByRole('button', { name: 'Create direct link' }).click();
    const linkField = alice.getByLabel('Direct link');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
    const link = await linkField.inputValue();
    const secret = link.split('#')[1]!;
    await directPhase(alice, 'waiting');

    await bob.goto(link);
    expect(bob.url()).toBe(`${tap.url}/d`);
    await directPhase(alice, 'open');
    await directPhase(bob, 'open');

    // Exactly one side is polite, chosen by key fingerprint.
    const roles = await Promise.all([alice, bob].map(async (p) => /this side is (polite|impolite)/.exec((await p.getByRole('list', { name: 'Audit events' }).textContent()) ?? '')?.[1]));
    expect(roles.sort()).toEqual(['impolite', 'polite']);

    // One safety number on both screens, 60 digits in 12 groups.
    const sa = await alice.getByTestId('safety-number').textContent();
    const sb = await bob.getByTestId('safety-number').textContent();
    expect(sa).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(sb).toBe(sa);
    // Loopback: a direct path from a host candidate, no TURN (the remote side may show as peer-reflexive
    // when its connectivity check arrives before its sealed candidate does).
    expect(await alice.getByTestId('path').textContent()).toMatch(/^Direct peer to peer \(host ↔ (host|prflx)\)/);
    // The audit log says so once, however the channel's open event and ondatachannel interleave.
    for (const p of [alice, bob]) {
      const lines = await p.getByRole('list', { name: 'Audit events' }).getByRole('listitem').allTextContents();
      expect(lines.filter((l) => l.includes('Direct peer to peer'))).toHaveLength(1);
    }
    // The open session is a page of its own for review: accessible, and screenshotted like the others.
    expect(await seriousViolations(alice)).toEqual([]);
    await screenshotAtViewports(alice, 'direct-open');

    const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
    const canaryB = `canary-${randomBytes(8).toString('hex')} from bob ${'ü'.repeat(2500)}`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(canaryA);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(canaryA);
    await bob.getByRole('textbox', { name: 'Message' }).fill(canaryB);
    await bob.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => alice.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(canaryB);

    // Cover packets from alice reach bob and are dropped after decryption; they never show as messages.
    await expect.poll(() => bob.getByTestId('traffic').textContent(), { timeout: 20_000 }).toMatch(/dropped on receipt: [1-9]/);
    expect(await bob.getByTestId('message').count()).toBe(2);

    // Every frame either side put on a data channel is a whole number of 4 KiB units; bob's long text took more than one.
    const sizesA = await channelSizes(alice);
    const sizesB = await channelSizes(bob);
    expect(sizesA.length).toBeGreaterThanOrEqual(2);
    for (const n of [...sizesA, ...sizesB]) expect(n % DIRECT_FRAME_UNIT_BYTES, `frame of ${n} bytes`).toBe(0);
    expect(sizesB.some((n) => n > DIRECT_FRAME_UNIT_BYTES)).toBe(true);
    expect(new Set(sizesA)).toEqual(new Set([DIRECT_FRAME_UNIT_BYTES]));

    // Verification is recorded in the audit panel, which lists events, never content.
    await bob.getByText('Safety number as a QR code').click();
    await expect.poll(() => bob.getByRole('img', { name: 'Safety number QR code' }).isVisible()).toBe(true);
    await bob.getByRole('button', { name: 'Mark verified' }).click();
    await expect.poll(() => bob.getByRole('button', { name: 'Verified' }).isDisabled()).toBe(true);
    const audit = (await bob.getByRole('list', { name: 'Audit events' }).textContent()) ?? '';
    expect(audit).toContain('Key confirmation OK');
    expect(audit).toContain('salted with the link secret');
    expect(audit).toContain('Safety number marked as verified');
    expect(audit).not.toContain('canary');

    // The relay saw neither the messages nor D (SDP and candidates crossed it sealed).
    const seen = Buffer.concat([tap.fromClients(), tap.fromRelay()]);
    for (const needle of [canaryA, canaryB.slice(0, 40), secret]) {
      for (const form of encodings(needle)) expect(seen.includes(form), `relay saw ${needle.slice(0, 30)}`).toBe(false);
    }
    const signalFrames = tap.clientWsMessages();
    expect(signalFrames.some((m) => m.includes('"type":"rtc"'))).toBe(true);
    expect(signalFrames.some((m) => m.includes('a=fingerprint') || m.includes('candidate:'))).toBe(false);
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
    await alice.getByRole('button', { name: 'Create direct link' }).click();
    const linkField = alice.getByLabel('Direct link');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
    await bob.goto(await linkField.inputValue());
    // Relay-only ICE with no TURN server cannot connect: the page offers the relay as soon as keys are
    // agreed, well before DIRECT_CONNECT_TIMEOUT_MS (20 s), and says why.
    await directPhase(alice, 'no-path', 10_000);
    expect(await alice.getByRole('list', { name: 'Audit events' }).textContent()).toContain('offers no TURN server');
    expect(await alice.getByRole('region', { name: 'Connection paths' }).textContent()).toMatch(/TURN relay: not offered by this relay.*No peer-to-peer path can connect from here/);
    expect(await alice.getByRole('alert').textContent()).toContain('hide my IP needs a TURN server');
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
    for (const m of data) expect((JSON.parse(m) as { data: string }).data.length).toBe(Math.ceil((DIRECT_FRAME_UNIT_BYTES * 4) / 3));
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
      expect(await p.getByText(/only the safety number protects you/).count()).toBe(1);
      expect(await p.getByLabel('Direct link').count()).toBe(0);
      expect(await p.getByRole('list', { name: 'Audit events' }).textContent()).toContain('stranger mode');
    }
    expect(await a.getByTestId('safety-number').textContent()).toBe(await b.getByTestId('safety-number').textContent());
    await a.getByRole('textbox', { name: 'Message' }).fill('hello stranger');
    await a.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => b.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain('hello stranger');
    for (const c of contexts) await c.close();
  });
});
