import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys } from '../../protocol/src/crypto/derive.js';
import { open } from '../../protocol/src/crypto/seal.js';
import type { ServerMessage } from '../../protocol/src/server-message.js';
import { parseRoomFragment } from '../../web/src/fragment.js';
import { RoomSession } from '../../web/src/models/room.js';
import { chromiumAvailable, launchProfile } from '../support/browser.js';
import { grepProfile } from '../support/profile-scan.js';
import { cipherOf, mlsEnv } from '../support/mls.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, enter, sameGroup, say, workerReady } from '../support/room-flow.js';
import { joinedSocket } from '../support/ws-client.js';

const haveChromium = chromiumAvailable();
const SHOTS = 'tests/e2e/screenshots';
type Frame = Extract<ServerMessage, { type: 'frame' }>;

/** Creates a room from the landing page as it comes (forward secrecy on by default); returns its invite link, which must carry the MLS mark. */
async function createMlsRoom(page: Page, origin: string): Promise<string> {
  await page.goto(`${origin}/`);
  await enter(page);
  expect(await page.getByRole('checkbox', { name: /Forward secrecy/ }).isChecked()).toBe(true);
  await page.screenshot({ path: `${SHOTS}/mls-create-390x844.png`, fullPage: true });
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForFunction(() => /\/r#[\w-]{43}~m$/.test(document.querySelector<HTMLInputElement>('#invite')?.value ?? ''));
  await connected(page);
  return page.getByLabel('Invite link', { exact: true }).inputValue();
}

/**
 * Issue 19, test 3, the history scenario, in real Chromium: Bob opens an MLS
 * room's invite link as a URL, so his profile's History keeps it. After the
 * chat the link is read back out of his profile, and with it and the relay's
 * recording of every frame, nothing said before decrypts: the link opens only
 * the outer one-size wrapping, and joining the group with it (as a relay or a
 * thief holding the link can) gives keys for what comes after, not before.
 */
describe.skipIf(!haveChromium)('MLS rooms: a link found in browser history reads nothing already said', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess({ POW_DIFFICULTY: '8' });
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('reads the link back from the joiner\'s profile, and with the recorded wire decrypts none of the chat', async () => {
    const alice = await launchProfile();
    const bob = await launchProfile();
    let thief: RoomSession | undefined;
    try {
      const a = await alice.context.newPage();
      await a.setViewportSize({ width: 390, height: 844 });
      const b = await bob.context.newPage();
      const link = await createMlsRoom(a, relay.url);
      await workerReady(a);
      const keys = await deriveRoomKeys(fromBase64url(link.split('#')[1]!.replace(/~m$/, '')));
      // The relay's recording: a socket holding the room's access (what the relay has anyway) sees every frame.
      const tap = await joinedSocket(relay.url, keys);

      await b.goto(link);
      await connected(b);
      await workerReady(b);
      await sameGroup(a, b);
      const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
      const canaryB = `canary-${randomBytes(8).toString('hex')} from bob`;
      await say(a, b, canaryA);
      await say(b, a, canaryB);
      await a.getByRole('button', { name: 'Room menu' }).click();
      await a.getByTestId('safety-code').click();
      expect(await a.getByTestId('safety-explained').textContent()).toContain('changes whenever someone joins or leaves');
      await a.screenshot({ path: `${SHOTS}/mls-room-safety-390x844.png` });
      await a.getByRole('button', { name: 'Room menu' }).click();
      const recorded = tap.received.filter((m): m is Frame => m.type === 'frame');
      expect(recorded.length).toBeGreaterThanOrEqual(2);
      await bob.context.close();

      // What an examiner finds in Bob's profile: the invite link, fragment and MLS mark included.
      const found = grepProfile(bob.dir, /\/r#[\w-]{43}~m/g);
      expect(found.map((f) => f.file)).toContainEqual(expect.stringMatching(/History$/));
      const fragment = parseRoomFragment(found[0]!.match.split('#')[1]!);
      expect(fragment).toEqual({ secret: link.split('#')[1]!.replace(/~m$/, ''), mls: true });

      // The link opens the outer wrapping of every recorded frame, and finds only MLS ciphertext inside.
      for (const f of recorded) {
        const inner = Buffer.from(await open(keys.contentKey, keys.roomId, fromBase64url(f.data)));
        for (const c of [canaryA, canaryB]) expect(inner.includes(Buffer.from(c))).toBe(false);
      }
      // Joining the group with the found link: Alice's client adds the newcomer (a new member she sees) ...
      thief = await RoomSession.join(fragment!.secret, mlsEnv(relay.url));
      const cipher = cipherOf(thief);
      await expect.poll(() => cipher.groupEpochs !== undefined && cipher.settled, { timeout: 30_000 }).toBe(true);
      // ... and its group state opens none of the recorded frames from before its join.
      let opened = 0;
      for (const f of recorded) if ((await cipher.receive(f.from, fromBase64url(f.data))).status === 'message') opened++;
      expect(opened).toBe(0);
      // The control: what Alice says now, it does read (the reader works; the past is what it lacks).
      const after = `after the thief joined ${randomBytes(4).toString('hex')}`;
      await a.getByRole('textbox', { name: 'Message' }).fill(after);
      await a.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => thief!.messages.value.some((m) => m.kind === 'text' && m.body === after), { timeout: 30_000 }).toBe(true);
      expect(thief.messages.value.filter((m) => m.kind === 'text').map((m) => m.kind === 'text' && m.body)).not.toContain(canaryA);
      tap.close();
    } finally {
      thief?.wipe();
      await alice.cleanup();
      await bob.cleanup();
    }
  });
});
