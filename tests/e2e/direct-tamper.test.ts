import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { generateEphemeral } from '../../protocol/src/crypto/direct.js';
import { chromiumAvailable, launchBrowser, WEBRTC_LOOPBACK_ARGS } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { startTamperProxy, type TamperProxy } from '../support/signal-tamper.js';
import { channelSizes, directPhase, recordChannelSends, securityLog } from '../support/webrtc.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('direct mode behind a signaling relay that swaps public keys', () => {
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let browser: Browser;

  beforeAll(async () => {
    relay = await startRelayProcess();
    // The attacker's own valid P-384 key: it can do ECDH with both sides, but does not know D.
    const mallory = toBase64url((await generateEphemeral()).pub);
    proxy = await startTamperProxy(relay.port, () => mallory);
    browser = await launchBrowser(WEBRTC_LOOPBACK_ARGS);
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await relay?.stop();
  });

  it('refuses to start the session on both sides, says why, and sends nothing', async () => {
    const contexts = [await browser.newContext(), await browser.newContext()];
    for (const c of contexts) await recordChannelSends(c);
    const [alice, bob] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
    const errors: string[] = [];
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));

    await alice.goto(`${proxy.url}/d`);
    await alice.getByRole('button', { name: 'Create direct link' }).click();
    const linkField = alice.getByLabel('Direct link');
    await expect.poll(() => linkField.inputValue()).toMatch(/\/d#[\w-]{43}$/);
    await bob.goto(await linkField.inputValue());
    await bob.getByRole('button', { name: 'Join', exact: true }).click();

    for (const p of [alice, bob]) {
      await directPhase(p, 'refused');
      const alert = (await p.getByRole('alert').textContent()) ?? '';
      expect(alert).toContain('Stopped before anything was sent');
      expect(alert).toContain('swapped them');
      expect(await p.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
      expect((await securityLog(p)).join(' ')).toContain('Key check FAILED');
    }
    expect(proxy.swapped).toBeGreaterThanOrEqual(2);
    // Nothing after the keys and confirmations: no SDP, no candidates, no data, no data channel.
    expect(proxy.counts.rtc ?? 0).toBe(0);
    expect(proxy.counts.data ?? 0).toBe(0);
    expect(await channelSizes(alice)).toEqual([]);
    expect(await channelSizes(bob)).toEqual([]);
    expect(errors).toEqual([]);
    for (const c of contexts) await c.close();
  });
});
