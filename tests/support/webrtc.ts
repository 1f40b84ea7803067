import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousViolations, SHOTS } from './review.js';

/** Records the size of every frame a page hands to any RTCDataChannel (installed before the app runs). */
export async function recordChannelSends(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const sizes: number[] = [];
    (window as unknown as { __dcSizes: number[] }).__dcSizes = sizes;
    const orig = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void;
    RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: string | Blob | ArrayBuffer | ArrayBufferView) {
      sizes.push(typeof data === 'string' ? -1 : data instanceof Blob ? data.size : data.byteLength);
      orig.call(this, data);
    };
  });
}

/** The sizes recordChannelSends saw, in order (-1 for a text frame). */
export const channelSizes = (p: Page): Promise<number[]> => p.evaluate(() => (window as unknown as { __dcSizes: number[] }).__dcSizes);

/** Waits until the direct page shows a phase (its status element's data-phase); on timeout the error quotes the page's audit panel. */
export async function directPhase(page: Page, want: string, timeout = 30_000): Promise<void> {
  try {
    await page.locator(`[role=status][data-phase="${want}"]`).waitFor({ timeout });
  } catch (err) {
    const phase = await page.locator('[role=status]').first().getAttribute('data-phase').catch(() => '?');
    const audit = await page.locator('[aria-label="Security log"]').textContent().catch(() => '?');
    const alert = await page.getByRole('alert').allTextContents().catch(() => []);
    throw new Error(`direct page stayed in phase ${phase}, not ${want}. Alert: ${alert.join(' | ')} Log: ${audit}`, { cause: err });
  }
}

/** The phone and desktop sizes the direct view is reviewed at (issue 15). */
export const DIRECT_VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/**
 * Reviews a connected direct page at each of DIRECT_VIEWPORTS: saves a
 * screenshot, asserts axe finds nothing serious, the invite link is gone, and
 * the message area and composer are on screen with the messages taking at
 * least 70% of the height.
 */
export async function reviewConnected(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const viewport of DIRECT_VIEWPORTS) {
    await page.setViewportSize(viewport);
    const at = `${viewport.width}x${viewport.height}`;
    // The newest message comes on screen: the list stays at the bottom through the resize (a ResizeObserver, so poll briefly).
    const newestInside = async () => {
      const [area, newest] = [await page.getByTestId('message-area').boundingBox(), await page.getByTestId('message').last().boundingBox()];
      return !!area && !!newest && newest.y >= area.y && newest.y + newest.height <= area.y + area.height + 1;
    };
    await expect.poll(newestInside, { timeout: 3_000, message: `${at}: newest message on screen` }).toBe(true);
    await page.screenshot({ path: `${SHOTS}/${name}-${viewport.width}x${viewport.height}.png` });
    expect(await page.getByLabel('Direct link').count(), at).toBe(0);
    const area = await page.getByTestId('message-area').boundingBox();
    const composer = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
    expect(area, at).not.toBeNull();
    expect(area!.y, at).toBeGreaterThanOrEqual(0);
    expect(area!.y + area!.height, at).toBeLessThanOrEqual(viewport.height);
    expect(area!.height / viewport.height, `${at}: message area share of the height`).toBeGreaterThanOrEqual(0.7);
    expect(composer!.y + composer!.height, at).toBeLessThanOrEqual(viewport.height);
    expect(await seriousViolations(page), at).toEqual([]);
  }
  if (original) await page.setViewportSize(original);
}

/** Opens the direct page's details panel and its (collapsed) security log; returns the log's lines. */
export async function securityLog(page: Page): Promise<string[]> {
  const details = page.getByRole('button', { name: 'Details' });
  if (await details.count()) await details.click();
  const log = page.locator('details', { has: page.locator('summary', { hasText: 'Security log' }) });
  if (!(await log.evaluate((e) => (e as HTMLDetailsElement).open))) await log.locator('summary').click();
  return page.getByRole('list', { name: 'Security log' }).getByRole('listitem').allTextContents();
}

/**
 * Installed before the app runs: keeps every AES-GCM key the page seals with
 * (direct mode's session key among them) and every RTCPeerConnection it makes,
 * so a test can open the sealed frames it saw on /signal and read getStats().
 * A test-only window onto the page's own secrets; the app never exposes them.
 */
export async function recordSealingKeys(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __gcmKeys: { key: CryptoKey; aad?: BufferSource }[]; __pcs: RTCPeerConnection[] };
    w.__gcmKeys = [];
    w.__pcs = [];
    const encrypt = SubtleCrypto.prototype.encrypt;
    SubtleCrypto.prototype.encrypt = function (this: SubtleCrypto, alg: AlgorithmIdentifier | AesGcmParams, key: CryptoKey, data: BufferSource) {
      if (typeof alg === 'object' && alg.name === 'AES-GCM' && !w.__gcmKeys.some((k) => k.key === key)) {
        w.__gcmKeys.push({ key, aad: (alg as AesGcmParams).additionalData });
      }
      return encrypt.call(this, alg, key, data);
    };
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        w.__pcs.push(this);
      }
    };
  });
}

/**
 * Opens direct frames (base64url, as they crossed /signal) with the keys
 * recordSealingKeys kept in this page; null for a frame none of them opens.
 * Frame layout as protocol/src/crypto/direct.ts seals it: 12-byte IV, AES-GCM
 * ciphertext, then a 4-byte length prefix and padding inside.
 */
export function openSealedFrames(page: Page, frames: string[]): Promise<(string | null)[]> {
  return page.evaluate(async (frames) => {
    const w = window as unknown as { __gcmKeys: { key: CryptoKey; aad?: BufferSource }[] };
    const bytes = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const out: (string | null)[] = [];
    for (const f of frames) {
      const b = bytes(f);
      let text: string | null = null;
      for (const { key, aad } of w.__gcmKeys) {
        try {
          const params: AesGcmParams = { name: 'AES-GCM', iv: b.slice(0, 12), ...(aad ? { additionalData: aad } : {}) };
          const plain = new Uint8Array(await crypto.subtle.decrypt(params, key, b.slice(12)));
          const len = new DataView(plain.buffer).getUint32(0);
          text = new TextDecoder().decode(plain.slice(4, 4 + len));
          break;
        } catch {
          // Not this key.
        }
      }
      out.push(text);
    }
    return out;
  }, frames);
}

export interface SelectedPair {
  local: string;
  remote: string;
  localAddress: string;
  localPort: number;
  remotePort: number;
}

/** The candidate types of the selected pair of each RTCPeerConnection the page made (via recordSealingKeys). */
export function selectedPairTypes(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const w = window as unknown as { __pcs: RTCPeerConnection[] };
    const out: { local: string; remote: string; localAddress: string; localPort: number; remotePort: number }[] = [];
    for (const pc of w.__pcs) {
      const all = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((v: Record<string, unknown>, k: string) => all.set(k, v));
      const transport = [...all.values()].find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string');
      const pair = transport
        ? all.get(String(transport.selectedCandidatePairId))
        : [...all.values()].find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
      if (!pair) continue;
      const l = all.get(String(pair.localCandidateId));
      const r = all.get(String(pair.remoteCandidateId));
      out.push({
        local: String(l?.candidateType),
        remote: String(r?.candidateType),
        localAddress: String(l?.address ?? l?.ip ?? ''),
        localPort: Number(l?.port),
        remotePort: Number(r?.port),
      });
    }
    return out;
  });
}
