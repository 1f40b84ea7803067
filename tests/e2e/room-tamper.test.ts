import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { SHOTS } from '../support/review.js';
import { connected } from '../support/room-flow.js';
import { RoomMember } from '../support/room-member.js';
import { startTamperProxy, type TamperProxy } from '../support/ws-tamper-proxy.js';

const haveChromium = chromiumAvailable();

const bodies = (page: Page) => page.getByTestId('message-body').allTextContents();

/**
 * The relay is an adversary: a tampering proxy between the real PWA (Bob, in
 * Chromium) and the real relay withholds, reorders and replays the frames of
 * an honest member (Alice, a Node client sealing with the protocol's code).
 */
describe.skipIf(!haveChromium)('a relay that drops, reorders and replays frames (real PWA, real relay, tampering proxy)', () => {
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let browser: Browser;
  let alice: RoomMember | undefined;

  beforeAll(async () => {
    relay = await startRelayProcess();
    proxy = await startTamperProxy(relay.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    alice?.close();
    await browser?.close();
    await proxy?.close();
    await relay?.stop();
  });

  it('shows a gap as a gap, orders by the sender’s counter, drops replays and counts them, and keeps read-once burnt across replays and a rejoin', { timeout: 180_000 }, async () => {
    alice = await RoomMember.create(relay.url, { backlog: 100, public: 'Tamper test' });
    const bob = await (await browser.newContext({ serviceWorkers: 'allow', viewport: { width: 390, height: 844 } })).newPage();
    const errors: string[] = [];
    bob.on('pageerror', (e) => errors.push(e.message));
    await bob.goto(alice.link(proxy.url));
    await connected(bob);

    // The relay holds Alice's next four frames back, then delivers 3, 1, 4 and never 2.
    const fromAlice = (m: Record<string, unknown>) => m.type === 'frame' && m.from === alice!.member;
    proxy.policy = (m) => (fromAlice(m) ? 'hold' : 'pass');
    const frames: string[] = [];
    for (const n of [1, 2, 3, 4]) frames.push(...(await alice.say(`message ${n}`)));
    await expect.poll(() => proxy.held().length, { timeout: 10_000 }).toBe(4);
    const held = proxy.held();
    proxy.policy = () => 'pass';
    proxy.release([2, 0, 3]);

    // Bob shows them in Alice's order, and where 2 should be, a gap that names Alice.
    await expect.poll(() => bodies(bob), { timeout: 15_000 }).toEqual(['message 1', 'message 3', 'message 4']);
    const gap = bob.getByTestId('message-gap');
    await gap.waitFor({ timeout: 10_000 });
    expect(await gap.textContent()).toContain(`1 message from ${alice.label.handle} did not arrive`);
    const order = await bob.locator('[data-testid=message-body], [data-testid=message-gap]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(order).toEqual(['message-body', 'message-gap', 'message-body', 'message-body']);
    mkdirSync(SHOTS, { recursive: true });
    await bob.screenshot({ path: `${SHOTS}/room-gap-390x844.png` });

    // The relay replays message 1 twice: no second copy, and the room says so, naming the relay.
    proxy.inject(held[0]!.text);
    proxy.inject(held[0]!.text);
    const replays = bob.getByTestId('replay-notice');
    await expect.poll(() => replays.textContent().catch(() => ''), { timeout: 10_000 }).toContain('2 repeated copies');
    expect(await replays.textContent()).toMatch(/The relay, or\s+someone who recorded/);
    expect(await bodies(bob)).toEqual(['message 1', 'message 3', 'message 4']);

    // A read-once message: viewed, closed (burnt), then replayed by the relay.
    const once = await alice.say('read me once', { once: true });
    await bob.getByTestId('reveal').click();
    await expect.poll(() => bodies(bob)).toContain('read me once');
    await bob.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => bodies(bob)).not.toContain('read me once');
    proxy.inject(proxy.seen().filter((s) => s.text.includes(once[0]!)).at(-1)!.text);
    await expect.poll(() => replays.textContent(), { timeout: 10_000 }).toContain('3 repeated copies');
    expect(await bob.getByTestId('reveal').count()).toBe(0);

    // Bob leaves and rejoins from the lobby in the same page: the backlog replays everything, message 2 included, but not the burnt one.
    await bob.getByRole('button', { name: 'Room menu' }).click();
    await bob.getByRole('button', { name: 'Leave this room' }).click();
    await bob.getByRole('button', { name: 'Join Tamper test (public, not private)' }).click();
    await connected(bob);
    await expect.poll(() => bodies(bob), { timeout: 15_000 }).toEqual(['message 1', 'message 2', 'message 3', 'message 4']);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(await bob.getByTestId('reveal').count()).toBe(0);
    expect(await bodies(bob)).not.toContain('read me once');
    expect(await bob.getByTestId('message-gap').count()).toBe(0);
    expect(frames.length).toBe(4);
    expect(errors).toEqual([]);
  });
});
