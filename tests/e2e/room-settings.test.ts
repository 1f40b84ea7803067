import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { MLS_CANNOT_CREATE, MLS_CANNOT_JOIN } from '../../web/src/models/mls-support.js';
import { PHONE } from '../support/phone.js';
import { SHOTS, seriousViolations } from '../support/review.js';
import { chooseKind, connected, enter, sameGroup } from '../support/room-flow.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('room settings at creation: lifetime, capacity, name, backlog, and the public lobby', () => {
  let relay: RelayProcess;
  let browser: Browser;
  beforeAll(async () => {
    relay = await startRelayProcess();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  const page = async (): Promise<Page> => (await browser.newContext()).newPage();

  it('honours lifetime and capacity: the timer shows the chosen life, and a third person hears the room is full', async () => {
    const alice = await page();
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    await alice.getByLabel('Lifetime').selectOption({ label: '15 minutes' });
    await alice.getByLabel('People at most').selectOption('2');
    await alice.getByRole('button', { name: 'Create room' }).click();
    await alice.locator('[role=status][data-phase=open]').waitFor();
    const timer = await alice.getByLabel(/Room self-destructs in/).getAttribute('aria-label');
    expect(timer).toMatch(/: 1[45] min \d\d s$/);
    const link = await alice.getByLabel('Invite link', { exact: true }).inputValue();

    const bob = await page();
    await bob.goto(link);
    await bob.locator('[role=status][data-phase=open]').waitFor();
    await expect.poll(() => alice.getByTestId('participants').textContent()).toBe('2 here');

    const carol = await page();
    await carol.goto(link);
    const gone = carol.getByTestId('room-gone');
    await gone.waitFor();
    expect(await gone.getAttribute('data-reason')).toBe('full');
    expect(await gone.textContent()).toContain('This room is full');
  });

  const entered = async (): Promise<Page> => {
    const p = await page();
    await p.goto(`${relay.url}/`);
    await enter(p);
    return p;
  };

  const create = async (page: Page, name: string, opts: { backlog?: boolean; public?: boolean; forwardSecrecy?: boolean }) => {
    await page.getByLabel('Room name (optional)').fill(name);
    if (opts.backlog) await page.getByRole('checkbox', { name: /Keep recent messages/ }).check();
    if (opts.public) await page.getByRole('checkbox', { name: /Public: list it in the lobby/ }).check();
    await chooseKind(page, opts);
    await page.getByRole('button', { name: 'Create room' }).click();
    await connected(page);
  };
  const inviteOf = (page: Page) => page.getByLabel('Invite link', { exact: true }).inputValue();

  const send = async (page: Page, text: string) => {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('message-status').filter({ hasText: 'sent' }).first().waitFor();
  };

  it('lists a public room by name, labelled not private; a lobby joiner gets in and catches up from the backlog', async () => {
    const alice = await entered();
    // A public room's key is in the lobby: forward secrecy is not offered for it, and says why.
    await alice.getByRole('checkbox', { name: /Public: list it in the lobby/ }).check();
    const fs = alice.getByRole('checkbox', { name: /Forward secrecy/ });
    expect([await fs.isChecked(), await fs.isDisabled()]).toEqual([false, true]);
    const why = alice.getByText('Not for public rooms: their key is in the lobby for anyone to take');
    await alice.setViewportSize(PHONE);
    await why.scrollIntoViewIfNeeded();
    await alice.screenshot({ path: `${SHOTS}/create-public-no-mls-390x844.png` });
    await create(alice, 'Night owls', { backlog: true, public: true });
    expect(await alice.getByTestId('room-name').textContent()).toBe('Night owls');
    expect(await alice.getByTestId('public-badge').textContent()).toContain('not private');
    await send(alice, 'said before anyone came');

    const bob = await entered();
    const entry = bob.getByTestId('lobby-room').filter({ hasText: 'Night owls' });
    await entry.waitFor({ timeout: 20_000 });
    expect(await entry.textContent()).toMatch(/1\/\d+ here/);
    expect(await bob.getByTestId('lobby').textContent()).toContain('Not private');
    expect(await seriousViolations(bob)).toEqual([]);
    await bob.getByRole('button', { name: 'Join Night owls (public, not private)' }).click();
    await connected(bob);
    // The secret came from the lobby, not from a URL: nothing of it in the address bar.
    expect(bob.url()).toBe(`${relay.url}/r`);
    await expect.poll(() => bob.getByTestId('room-name').textContent()).toBe('Night owls');
    expect(await bob.getByTestId('public-badge').count()).toBe(1);
    // Kept by the relay, sealed, and replayed to the late joiner.
    await bob.getByTestId('message-body').filter({ hasText: 'said before anyone came' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => alice.getByTestId('participants').textContent()).toBe('2 here');
  });

  it('keeps a private room out of the lobby, and its name is read only by those with the link', async () => {
    const carol = await entered();
    await create(carol, 'Quiet corner', {});
    expect(await carol.getByTestId('public-badge').count()).toBe(0);
    const link = await inviteOf(carol);
    // Private rooms are MLS groups by default.
    expect(link).toMatch(/~m$/);

    // The relay holds the name only sealed: not in the lobby, not in clear anywhere it answers.
    const lobby = (await (await fetch(`${relay.url}/api/rooms`)).json()) as { rooms: Array<{ meta?: string }> };
    for (const r of lobby.rooms) expect(Buffer.from(r.meta ?? '', 'base64url').toString('latin1')).not.toContain('Quiet corner');

    const dave = await page();
    await dave.goto(link);
    await connected(dave);
    await expect.poll(() => dave.getByTestId('room-name').textContent()).toBe('Quiet corner');
    expect(await dave.getByTestId('public-badge').count()).toBe(0);
    // Without a backlog, a late joiner gets nothing from before. Dave reads what is sent once Carol has added him.
    await sameGroup(carol, dave);
    await send(carol, 'after dave came');
    await dave.getByTestId('message-body').filter({ hasText: 'after dave came' }).waitFor();
    expect(await dave.getByTestId('message-body').count()).toBe(1);
  });
  it('keeps history for late joiners only in a room with forward secrecy turned off, and says what that gives away', async () => {
    const erin = await entered();
    await erin.setViewportSize(PHONE);
    const fs = erin.getByRole('checkbox', { name: /Forward secrecy/ });
    expect(await fs.isChecked()).toBe(true);
    await fs.uncheck();
    expect(await erin.getByTestId('mls-off').textContent()).toContain('the link is the key to everything said in this room, before and after');
    expect(await seriousViolations(erin)).toEqual([]);
    await erin.getByTestId('mls-off').scrollIntoViewIfNeeded();
    await erin.screenshot({ path: `${SHOTS}/create-mls-off-390x844.png` });
    await fs.check();
    expect(await erin.getByTestId('mls-on').textContent()).toContain('a link found later opens nothing already said');

    // Forward secrecy off, history kept: the link key opens the kept frames, so a late joiner catches up.
    await create(erin, 'Open book', { backlog: true, forwardSecrecy: false });
    const plain = await inviteOf(erin);
    expect(plain).toMatch(/\/r#[\w-]{43}$/);
    expect(await erin.getByTestId('invite-link-key').textContent()).toContain('the link is also its key');
    await send(erin, 'kept for whoever comes later');
    const frank = await page();
    await frank.goto(plain);
    await connected(frank);
    await frank.getByTestId('message-body').filter({ hasText: 'kept for whoever comes later' }).waitFor({ timeout: 15_000 });

    // Forward secrecy on (the default), history kept: the relay replays the same kind of backlog, and the late
    // joiner can open none of it, and is told why; what is said after the join it reads.
    const gina = await entered();
    await create(gina, 'Closed book', { backlog: true });
    const sealed = await inviteOf(gina);
    expect(sealed).toMatch(/~m$/);
    expect(await gina.getByTestId('invite-link-key').count()).toBe(0);
    await send(gina, 'said before anyone came');
    const hank = await page();
    await hank.setViewportSize(PHONE);
    await hank.goto(sealed);
    await connected(hank);
    await hank.getByText('Messages from before you joined cannot be read').waitFor({ timeout: 15_000 });
    await hank.screenshot({ path: `${SHOTS}/mls-late-joiner-390x844.png` });
    await sameGroup(gina, hank);
    await send(gina, 'said after hank came');
    await hank.getByTestId('message-body').filter({ hasText: 'said after hank came' }).waitFor();
    expect(await hank.getByTestId('message-body').allTextContents()).not.toContain('said before anyone came');
  });
  it('in a browser whose WebCrypto lacks Ed25519, says forward secrecy cannot be made or joined there, and what to do', async () => {
    const owner = await entered();
    await create(owner, 'Needs a current browser', {});
    const link = await inviteOf(owner);
    expect(link).toMatch(/~m$/);

    const old = await (await browser.newContext()).newPage();
    // An older browser: Ed25519 key generation is refused, as WebCrypto without it does.
    await old.addInitScript(() => {
      const generate = SubtleCrypto.prototype.generateKey;
      SubtleCrypto.prototype.generateKey = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['generateKey']>) {
        const alg = args[0];
        if ((typeof alg === 'string' ? alg : alg.name) === 'Ed25519') return Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'));
        return generate.apply(this, args);
      } as SubtleCrypto['generateKey'];
    });
    await old.goto(`${relay.url}/`);
    await enter(old);
    await old.getByRole('button', { name: 'Create room' }).click();
    const cannot = old.getByRole('alert').filter({ hasText: MLS_CANNOT_CREATE });
    await cannot.waitFor();
    await old.setViewportSize(PHONE);
    await cannot.scrollIntoViewIfNeeded();
    await old.screenshot({ path: `${SHOTS}/create-mls-unsupported-390x844.png` });
    expect(new URL(old.url()).pathname).toBe('/');
    // What the sentence says to do works: without forward secrecy the room is made.
    await chooseKind(old, { forwardSecrecy: false });
    await old.getByRole('button', { name: 'Create room' }).click();
    await connected(old);
    expect(await inviteOf(old)).toMatch(/\/r#[\w-]{43}$/);

    await old.goto(link);
    await old.getByRole('alert').filter({ hasText: MLS_CANNOT_JOIN }).waitFor();
  });
});
