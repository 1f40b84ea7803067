import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from '../../protocol/src/crypto/bytes.js';
import { hkdf } from '../../protocol/src/crypto/derive.js';
import { Label } from '../../protocol/src/crypto/labels.js';
import { chromiumAvailable, launchProfile } from '../support/browser.js';
import { scanProfile, type Finding, type Needle } from '../support/profile-scan.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { connected, createRoom, linkSecret, sameGroup, say, workerReady } from '../support/room-flow.js';
import { byteEncodings, namedEncodings } from '../support/wire-tap.js';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('residue scan: what a chat leaves in the browser profile after panic and close', () => {
  let relay: RelayProcess;

  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it.each(['panic', 'close'] as const)('after %s: no message text and no keys in either profile; reports the room secret', async (ending) => {
    const alice = await launchProfile();
    const bob = await launchProfile();
    try {
      const a = await alice.context.newPage();
      const b = await bob.context.newPage();
      const link = await createRoom(a, relay.url);
      await workerReady(a);
      // Bob opens the invite link by URL, the way a pasted link arrives: the case the history note is about.
      await b.goto(link);
      await connected(b);
      await workerReady(b);
      await sameGroup(a, b);
      const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
      const canaryB = `canary-${randomBytes(8).toString('hex')} from bob`;
      await say(a, b, canaryA);
      await say(b, a, canaryB);

      const secretText = linkSecret(link);
      const secret = fromBase64url(secretText);
      const contentKey = await hkdf(secret, Label.ContentKey, 32);
      const accessKey = await hkdf(secret, Label.AccessKey, 32);
      const needles: Needle[] = [
        { name: 'canary from alice', forms: namedEncodings(canaryA) },
        { name: 'canary from bob', forms: namedEncodings(canaryB) },
        { name: 'content key', forms: byteEncodings(contentKey) },
        { name: 'access key', forms: byteEncodings(accessKey) },
        { name: 'room secret', forms: byteEncodings(secret) },
      ];
      // The scan itself can find things: the canaries are on screen right now.
      expect(await b.content()).toContain(canaryA);
      // Leave text in the composers, and give the browser the seconds a real session would have to write its
      // session-restore state (where form values once leaked: the scan found them before autocomplete="off").
      await a.getByRole('textbox', { name: 'Message' }).fill(`${canaryA} draft`);
      await b.getByRole('textbox', { name: 'Message' }).fill(`${canaryB} draft`);
      await a.waitForTimeout(5000);

      if (ending === 'panic') {
        for (const p of [a, b]) {
          await p.keyboard.press('Control+Shift+X');
          await p.waitForURL('about:blank');
        }
      }
      await alice.context.close();
      await bob.context.close();

      const report: Record<string, { files: number; bytes: number; findings: Finding[] }> = {
        alice: scanProfile(alice.dir, needles),
        bob: scanProfile(bob.dir, needles),
      };
      process.stdout.write(`residue scan after ${ending}: ${JSON.stringify(report, null, 1)}\n`);
      for (const who of ['alice', 'bob'] as const) {
        expect(report[who]!.files).toBeGreaterThan(10);
        const leaks = report[who]!.findings.filter((f) => f.needle !== 'room secret');
        expect(leaks, `${who}'s profile holds secret material`).toEqual([]);
      }
      // Alice created the room and never had the link in an address bar: her profile holds no trace of the secret.
      expect(report.alice!.findings).toEqual([]);
      // Bob opened the link by URL: the browser's history database keeps it, fragment and all. This is the
      // known residue the Privacy page warns about, and it shows the scan does find text in these files.
      expect(report.bob!.findings).toContainEqual({ needle: 'room secret', form: 'base64url@0/utf8', file: expect.stringMatching(/History$/) });
    } finally {
      await alice.cleanup();
      await bob.cleanup();
    }
  });
});
