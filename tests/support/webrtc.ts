import type { BrowserContext, Page } from 'playwright-core';

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
    const audit = await page.locator('[aria-label="Audit events"]').textContent().catch(() => '?');
    throw new Error(`direct page stayed in phase ${phase}, not ${want}. Audit: ${audit}`, { cause: err });
  }
}
