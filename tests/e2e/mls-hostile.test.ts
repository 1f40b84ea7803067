import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromBase64url, toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveInviteKey, deriveRoomKeys, newRoomSecret } from '../../protocol/src/crypto/derive.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import { createMember, sealJoinRequest } from '../../protocol/src/mls/index.js';
import { RoomSession } from '../../web/src/models/room.js';
import { chromiumAvailable, launchBrowser } from '../support/browser.js';
import { cipherOf, mlsEnv } from '../support/mls.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter, safetyCode, sameGroup, say } from '../support/room-flow.js';
import { joinedSocket } from '../support/ws-client.js';
import { startTamperProxy, type TamperProxy } from '../support/ws-tamper-proxy.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

const haveChromium = chromiumAvailable();
const bodies = (page: Page) => page.getByTestId('message-body').allTextContents();

/**
 * Issue 19, test 6, with the real PWA in Chromium: a relay that makes up a
 * member (it has the room's access, not its invite key) is refused and the
 * members are told; a relay that splits the group (here: a tampering proxy
 * that withholds from Bob the commit adding Carol) leaves Bob on another
 * safety code than Alice and Carol, and what they say after does not open
 * for him.
 */
describe.skipIf(!haveChromium)('MLS rooms against a hostile relay (real PWA, real relay, tampering proxy)', () => {
  let relay: RelayProcess;
  let proxy: TamperProxy;
  let browser: Browser;
  let carol: RoomSession | undefined;

  beforeAll(async () => {
    relay = await startRelayProcess({ POW_DIFFICULTY: '8' });
    proxy = await startTamperProxy(relay.port);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    carol?.wipe();
    await browser?.close();
    await proxy?.close();
    await relay?.stop();
  });

  it('refuses a member the relay made up, and shows a split group as different safety codes', { timeout: 120_000 }, async () => {
    const viewport = { width: 390, height: 844 };
    const alice = await (await browser.newContext({ viewport })).newPage();
    await alice.goto(`${relay.url}/`);
    await enter(alice);
    expect(await alice.getByRole('checkbox', { name: /Forward secrecy/ }).isChecked()).toBe(true);
    await alice.getByRole('button', { name: 'Create room' }).click();
    await alice.waitForFunction(() => /~m$/.test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''));
    await connected(alice);
    const link = await alice.getByLabel('Invite link', { exact: true }).inputValue();
    const fragment = link.split('#')[1]!;
    const keys = await deriveRoomKeys(fromBase64url(fragment.replace(/~m$/, '')));

    const bob = await (await browser.newContext({ viewport })).newPage();
    await bob.goto(`${proxy.url}/r#${fragment}`);
    await connected(bob);
    await sameGroup(alice, bob);
    await say(alice, bob, 'alice and bob, one group');
    const codeBefore = await safetyCode(alice);

    // A member the relay makes up: it can join the relay's room, but has no invite key to seal its request with.
    const fake = await joinedSocket(relay.url, keys);
    const fakeId = fake.received.find((m) => m.type === 'joined')!.member;
    const leaf = await createMember(fakeId);
    const request = await sealJoinRequest(await deriveInviteKey(newRoomSecret()), keys.roomId, fakeId, leaf.keyPackageBytes);
    fake.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: toBase64url(await seal(keys.contentKey, keys.roomId, concatBytes(new Uint8Array([2]), request))) });
    await alice.getByText('Someone without this room\'s invite link tried to join, and was not let in.').waitFor({ timeout: 15_000 });
    await bob.getByText('Someone without this room\'s invite link tried to join, and was not let in.').waitFor({ timeout: 15_000 });
    // Not let in: no commit followed, so the code is what it was.
    await alice.waitForTimeout(2_000);
    expect(await safetyCode(alice)).toBe(codeBefore);
    fake.close();

    // The split: from now on the proxy withholds every commit from Bob. Carol joins; Alice adds her.
    proxy.policy = (m) => (m.type === 'commit' ? 'drop' : 'pass');
    carol = await RoomSession.join(fragment.replace(/~m$/, ''), mlsEnv(relay.url));
    const c = cipherOf(carol);
    await expect.poll(() => c.groupEpochs !== undefined && c.settled && carol!.safetyCode.value !== '', { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await safetyCode(alice)).replace(/\s/g, '') === carol!.safetyCode.value.replace(/\s/g, ''), { timeout: 15_000 }).toBe(true);
    const [codeA, codeB] = [await safetyCode(alice), await safetyCode(bob)];
    expect(codeA).not.toBe(codeBefore);
    expect(codeB).toBe(codeBefore);
    expect(codeB).not.toBe(codeA);
    await bob.screenshot({ path: 'tests/e2e/screenshots/mls-split-bob-390x844.png' });

    // What Alice says in the group Bob was kept out of does not open for him; Carol reads it.
    const after = `after the split ${randomBytes(4).toString('hex')}`;
    await alice.getByRole('textbox', { name: 'Message' }).fill(after);
    await alice.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => carol!.messages.value.some((m) => m.kind === 'text' && m.body === after), { timeout: 15_000 }).toBe(true);
    // Bob is told: frames of an epoch he never reached arrive, so a change to the group did not reach him.
    await bob.getByText('a change to the group did not reach it').waitFor({ timeout: 15_000 });
    expect(await bodies(bob)).not.toContain(after);
    await bob.screenshot({ path: 'tests/e2e/screenshots/mls-split-bob-told-390x844.png' });

    // What the notice says works: the relay stops withholding, Bob leaves and opens the link again, and is back in the group.
    proxy.policy = () => 'pass';
    await bob.getByRole('button', { name: 'Room menu' }).click();
    await bob.getByRole('button', { name: 'Leave this room' }).click();
    await bob.goto(`${proxy.url}/r#${fragment}`);
    await connected(bob);
    await sameGroup(alice, bob);
    await say(alice, bob, 'bob is back in the group');
  });
});
