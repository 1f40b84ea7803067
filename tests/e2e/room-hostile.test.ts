import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelForKey, lookalikeKey, type KeyLabel } from '../../protocol/src/crypto/fingerprint.js';
import { generateSigningIdentity, type SigningIdentity } from '../../protocol/src/crypto/sign.js';
import { chromiumAvailable, freshProfileDir, spawnChromium, type SpawnedChromium } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SHOTS } from '../support/review.js';
import { connected } from '../support/room-flow.js';
import { RoomMember } from '../support/room-member.js';

const haveChromium = chromiumAvailable();

/** Resident memory of every process of our own Chromium (its process group), in MB. */
function chromiumRssMb(pgid: number): number {
  const out = execFileSync('ps', ['-eo', 'pgid=,rss=']).toString();
  let kb = 0;
  for (const line of out.trim().split('\n')) {
    const [g, rss] = line.trim().split(/\s+/).map(Number);
    if (g === pgid) kb += rss ?? 0;
  }
  return kb / 1024;
}

/** A 121-byte PNG whose header declares 23000 × 23000 pixels (about 2 GB once decoded). */
function pngBomb(): Uint8Array {
  const b = new Uint8Array(121);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, 23000);
  v.setUint32(20, 23000);
  b.set([8, 2, 0, 0, 0], 24);
  v.setUint32(33, 76);
  b.set([0x49, 0x44, 0x41, 0x54, 0x78, 0x9c], 37);
  return b;
}

/** Two fresh keys whose handles look alike to a room (a birthday search over the handle's first group). */
async function lookalikePair(): Promise<[SigningIdentity, SigningIdentity]> {
  const seen = new Map<string, SigningIdentity>();
  for (;;) {
    const batch = await Promise.all(Array.from({ length: 64 }, async () => {
      const id = await generateSigningIdentity();
      return { id, label: await labelForKey(id.publicKey) };
    }));
    for (const { id, label } of batch) {
      const k = lookalikeKey(label.handle);
      const other = seen.get(k);
      if (other) return [other, id];
      seen.set(k, id);
    }
  }
}

/** Tracks the page's longest main-thread stall from now on. */
async function watchStalls(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { __stall: number };
    w.__stall = 0;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.__stall = Math.max(w.__stall, now - last - 10);
      last = now;
    }, 10);
  });
  return () => page.evaluate(() => (window as unknown as { __stall: number }).__stall);
}

/**
 * Hostile room members (Node clients speaking the documented protocol with
 * their own keys, counters, part headers and payloads) against the real PWA.
 */
describe.skipIf(!haveChromium)('hostile members against the real PWA (real relay, real Chromium)', () => {
  let relay: RelayProcess;
  let chromium: SpawnedChromium;
  let dir: string;
  const members: RoomMember[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess();
    dir = freshProfileDir();
    chromium = await spawnChromium(dir);
  });
  afterAll(async () => {
    for (const m of members) m.close();
    await chromium?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await relay?.stop();
  });

  it('budgets, look-alikes, an image bomb and spoofing text: each costs only the attacker, and the victim is told whose', { timeout: 240_000 }, async () => {
    const alice = await RoomMember.create(relay.url);
    members.push(alice);
    const bob = await (await chromium.browser.newContext({ serviceWorkers: 'allow', viewport: { width: 390, height: 844 } })).newPage();
    const errors: string[] = [];
    bob.on('pageerror', (e) => errors.push(e.message));
    await bob.goto(alice.link(relay.url));
    await connected(bob);
    const mallory = await RoomMember.join(relay.url, alice.secret);
    const mallory2 = await RoomMember.join(relay.url, alice.secret, mallory.identity);
    members.push(mallory, mallory2);
    await expect.poll(() => bob.getByTestId('participants').textContent()).toContain('4 here');

    // 1. Budgets: Mallory opens two large images on one member id and a third on another, never finishing them.
    const opened = async (m: RoomMember) => (await m.seal({ k: 'image', mime: 'image/png', bytes: 1_500_000, w: 10, h: 10, at: Date.now() }, { attachment: new Uint8Array(1_500_000) })).slice(0, 3);
    mallory.sendFrames(await opened(mallory));
    mallory.sendFrames(await opened(mallory));
    mallory2.sendFrames(await opened(mallory2));
    await expect.poll(() => bob.getByRole('alert').allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringContaining(`${mallory.label.handle} sent more than this app holds at once`));
    // Alice's long message (several frames) still arrives while Mallory holds her budget.
    const long = 'honest long text '.repeat(600).trim();
    await alice.say(long);
    await expect.poll(() => bob.getByTestId('message-body').allTextContents(), { timeout: 15_000 }).toContain(long);

    // 2. Look-alikes: two keys whose handles read the same are both marked, and the room is told; Alice is not marked.
    const [k1, k2] = await lookalikePair();
    const [l1, l2]: KeyLabel[] = [await labelForKey(k1.publicKey), await labelForKey(k2.publicKey)];
    const twin1 = await RoomMember.join(relay.url, alice.secret, k1);
    const twin2 = await RoomMember.join(relay.url, alice.secret, k2);
    members.push(twin1, twin2);
    await alice.say('alice again');
    await twin1.say('I am one of two');
    await twin2.say('I am the other');
    const warning = bob.getByTestId('lookalike-warning');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toContain('Two people here look alike');
    for (const h of [l1!.handle, l2!.handle]) expect(await warning.textContent()).toContain(h);
    // Received messages join the list in 50 ms batches, so the second twin's row may follow the warning by a batch.
    await expect
      .poll(async () => new Set(await bob.locator('[data-lookalike=true] [data-testid=message-handle]').allTextContents()))
      .toEqual(new Set([l1!.handle, l2!.handle]));
    const aliceRow = bob.getByTestId('message').filter({ hasText: 'alice again' });
    expect(await aliceRow.locator('[data-lookalike=true]').count()).toBe(0);
    await bob.getByTestId('message').filter({ hasText: 'I am the other' }).getByTestId('message-handle').click();
    expect(await bob.getByTestId('key-code').first().textContent()).toContain(l2!.code);
    mkdirSync(SHOTS, { recursive: true });
    await bob.getByTestId('message').filter({ hasText: 'I am the other' }).scrollIntoViewIfNeeded();
    await bob.screenshot({ path: `${SHOTS}/room-lookalike-390x844.png` });

    // 3. An image bomb: 121 bytes declaring 23000 × 23000 pixels is refused in its frame, with no freeze and no memory spike.
    const stall = await watchStalls(bob);
    const rssBefore = chromiumRssMb(chromium.proc.pid!);
    const bomb = pngBomb();
    const sentAt = Date.now();
    mallory.sendFrames(await mallory.seal({ k: 'image', mime: 'image/png', bytes: bomb.length, w: 100, h: 100, at: Date.now() }, { attachment: bomb }));
    const refused = bob.getByTestId('image-refused');
    await refused.waitFor({ timeout: 15_000 });
    const shownAfter = Date.now() - sentAt;
    expect(await refused.textContent()).toContain('23000×23000 pixels');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await stall()).toBeLessThan(100);
    expect(chromiumRssMb(chromium.proc.pid!) - rssBefore).toBeLessThan(50);
    console.info(`bomb refused on screen ${shownAfter} ms after it was sent`);

    // 4. Text that tries to rewrite the app's own words: an override is removed, and a fake header line stays inside the body.
    await mallory2.say('invoice\u202Egnp.exe');
    await mallory2.say(`hello\n● ${alice.label.handle}\nsend me the key`);
    await expect.poll(() => bob.getByTestId('message-body').allTextContents()).toContain('invoicegnp.exe');
    const fake = bob.getByTestId('message').filter({ hasText: 'send me the key' });
    expect(await fake.getByTestId('message-handle').allTextContents()).toEqual([mallory.label.handle]);
    expect(await fake.getByTestId('message-body').getAttribute('dir')).toBe('auto');
    expect(errors).toEqual([]);
  });
});
