import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_INPUT_BYTES } from '../../protocol/src/limits.js';
import { containsExif, JPEG_APP1, jpegMarkers } from '../../web/src/media/jpeg.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { enterAndCreate, sameGroup } from '../support/room-flow.js';
import { openMenu } from '../support/phone.js';

const haveChromium = chromiumAvailable();
const GPS_CANARY = 'GPS-CANARY-48.8584N-2.2945E';

/** An APP1 Exif segment: big-endian TIFF with IFD0 → GPS IFD (GPSLatitudeRef "N"), then a canary string. */
function exifSegment(): Buffer {
  const tiff = Buffer.alloc(44);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 at 8
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x8825, 10); // GPSInfo IFD pointer
  tiff.writeUInt16BE(4, 12); // LONG
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18); // GPS IFD at 26
  tiff.writeUInt32BE(0, 22); // no next IFD
  tiff.writeUInt16BE(1, 26); // one GPS entry
  tiff.writeUInt16BE(0x0001, 28); // GPSLatitudeRef
  tiff.writeUInt16BE(2, 30); // ASCII
  tiff.writeUInt32BE(2, 32);
  tiff.write('N\0', 36, 'latin1');
  tiff.writeUInt32BE(0, 40);
  const data = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, Buffer.from(GPS_CANARY, 'latin1')]);
  const head = Buffer.from([0xff, JPEG_APP1, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

async function connected(page: Page): Promise<void> {
  await page.locator('[role=status][data-phase=open]').waitFor({ timeout: 15_000 });
}

describe.skipIf(!haveChromium)('images and client-side message rules between two browsers (real Chromium, SW enabled)', () => {
  let relay: RelayProcess;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
    alice = await (await browser.newContext({ serviceWorkers: 'allow' })).newPage();
    // Bob's test code reads blob: URLs with fetch(), which the app's CSP (connect-src 'self') rightly forbids.
    bob = await (await browser.newContext({ serviceWorkers: 'allow', bypassCSP: true })).newPage();
    for (const p of [alice, bob]) p.on('pageerror', (e) => errors.push(e.message));
    await alice.goto(`${relay.url}/`);
    await enterAndCreate(alice);
    const invite = alice.getByLabel('Invite link', { exact: true });
    await alice.waitForFunction(() => /\/r#[\w-]{43}~m$/.test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''));
    await connected(alice);
    await bob.goto(await invite.inputValue());
    await connected(bob);
    // An MLS room (the default): Bob reads what is sent once Alice has added him.
    await sameGroup(alice, bob);
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('shows the sender under the handle derived from its signing key', async () => {
    await alice.getByRole('textbox', { name: 'Message' }).fill('signed hello');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain('signed hello');
    const aliceSelf = (await alice.getByTestId('self-handle').textContent())!.replace('You are ', '');
    expect(aliceSelf).toMatch(/^Ghost#[0-9A-Z]{4}(-[0-9A-Z]{4}){2}$/);
    expect(await bob.getByTestId('message-handle').first().textContent()).toBe(aliceSelf);
    expect(await bob.getByTestId('self-handle').textContent()).not.toContain(aliceSelf);
  });

  it('strips Exif/GPS by re-encoding, sends the image as media frames, and revokes its blob URL on wipe', async () => {
    // A real JPEG from Chromium's encoder, with an Exif/GPS APP1 segment spliced in after SOI.
    const plain = Buffer.from(
      await alice.evaluate(async () => {
        // Noise compresses badly: the re-encoded image needs several media frames.
        const c = new OffscreenCanvas(900, 600);
        const g = c.getContext('2d')!;
        const px = g.createImageData(900, 600);
        crypto.getRandomValues(px.data.subarray(0, 65536));
        for (let i = 65536; i < px.data.length; i += 65536) px.data.copyWithin(i, 0, Math.min(65536, px.data.length - i));
        for (let i = 3; i < px.data.length; i += 4) px.data[i] = 255;
        g.putImageData(px, 0, 0);
        return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())];
      }),
    );
    const withExif = Buffer.concat([plain.subarray(0, 2), exifSegment(), plain.subarray(2)]);
    expect(jpegMarkers(withExif)).toContain(JPEG_APP1);
    expect(containsExif(withExif) && withExif.includes(GPS_CANARY)).toBe(true);

    await alice.getByLabel('Attach image').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: withExif });
    await alice.getByRole('button', { name: 'Send image' }).click();
    const img = bob.getByTestId('message-image');
    await img.waitFor({ timeout: 30_000 });
    const src = (await img.getAttribute('src'))!;
    expect(src).toMatch(/^blob:/);
    await expect.poll(() => alice.getByTestId('message-status').last().textContent()).toContain('relay: delivered to 1');

    const received = Buffer.from(await bob.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], src));
    expect(jpegMarkers(received).length).toBeGreaterThan(2);
    expect(jpegMarkers(received)).not.toContain(JPEG_APP1);
    expect(containsExif(received)).toBe(false);
    expect(received.includes(GPS_CANARY)).toBe(false);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(900);
    // It took several media frames (MEDIA_FRAME_BYTES each), so splitting and reassembly ran.
    expect(received.length).toBeGreaterThan(2 * 65536);

    // Leaving wipes the room: the blob URL no longer resolves.
    await openMenu(bob);
    await bob.getByRole('button', { name: 'Leave this room' }).click();
    const after = await bob.evaluate(async (u) => fetch(u).then(() => 'resolved', () => 'revoked'), src);
    expect(after).toBe('revoked');
  });

  it('refuses an oversized file with a sentence that names the limit', async () => {
    await alice.getByLabel('Attach image').setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(MAX_IMAGE_INPUT_BYTES + 1) });
    await alice.getByRole('button', { name: 'Send image' }).click();
    await expect.poll(() => alice.getByRole('alert').allTextContents()).toContain('That file is larger than 20 MB. Choose a smaller image.');
  });

  it('delivers a read-once message hidden until viewed, then removes it', async () => {
    // Bob left in the previous test; he joins again with the same link.
    const link = await alice.getByLabel('Invite link', { exact: true }).inputValue();
    await bob.goto(link);
    await connected(bob);
    await sameGroup(alice, bob);
    await alice.getByRole('button', { name: 'Message options' }).click();
    await alice.getByLabel('Read once').check();
    await alice.getByRole('textbox', { name: 'Message' }).fill('burn after reading');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    // The option applies to that one message: the next is a normal one again.
    expect(await alice.getByRole('button', { name: 'Message options' }).getAttribute('aria-expanded')).toBe('false');
    const reveal = bob.getByTestId('reveal');
    await reveal.waitFor({ timeout: 15_000 });
    expect(await bob.getByTestId('message-body').allTextContents()).not.toContain('burn after reading');
    // The sender keeps no copy of the text either.
    expect(await alice.getByTestId('message-body').allTextContents()).not.toContain('burn after reading');
    await reveal.click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain('burn after reading');
    await bob.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => bob.locator('[data-once=true]').count()).toBe(0);
    expect(await bob.content()).not.toContain('burn after reading');
  });

  it('warns locally before sending what looks like personal data, and sends only when asked', async () => {
    await alice.getByRole('textbox', { name: 'Message' }).fill('reach me at jane.doe@example.org');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    const warning = alice.getByTestId('sensitivity-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('an email address');
    // Nothing was sent while the warning is up.
    expect(await alice.getByTestId('message-body').allTextContents()).not.toContain('reach me at jane.doe@example.org');
    await alice.getByRole('button', { name: 'Send anyway' }).click();
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain('reach me at jane.doe@example.org');
  });

  it('holds a time-locked message behind a label', async () => {
    await alice.getByRole('button', { name: 'Message options' }).click();
    await alice.getByLabel('Time lock').selectOption('10');
    await alice.getByRole('textbox', { name: 'Message' }).fill('open in ten minutes');
    await alice.getByRole('button', { name: 'Send', exact: true }).click();
    await bob.getByTestId('message-locked').waitFor({ timeout: 15_000 });
    expect(await bob.getByTestId('message-locked').textContent()).toContain('enforced by the app, not by encryption');
    expect(await bob.content()).not.toContain('open in ten minutes');
    expect(errors).toEqual([]);
  });
});
