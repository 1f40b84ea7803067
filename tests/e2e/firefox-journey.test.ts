import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64url } from '../../protocol/src/crypto/bytes.js';
import { hkdf } from '../../protocol/src/crypto/derive.js';
import { Label } from '../../protocol/src/crypto/labels.js';
import { fillLabelled, firefoxAvailable, isCutOffLoad, launchFirefox, texts, type FirefoxProfile } from '../support/firefox.js';
import { connectedFx, createRoomFx, enterFx, panicFx, sameGroupFx, sayFx, sendImageFx } from '../support/firefox-flow.js';
import { scanFirefoxProfile, type FirefoxScan } from '../support/firefox-profile.js';
import type { Needle } from '../support/profile-scan.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { linkSecret } from '../support/room-flow.js';
import { byteEncodings, namedEncodings } from '../support/wire-tap.js';

const haveFirefox = firefoxAvailable();

describe.skipIf(!haveFirefox)("Firefox (Debian's firefox-esr over WebDriver BiDi): the core journey and the residue it leaves", () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it.each(['panic', 'close'] as const)(
    'enter, create, join by link in a second profile, chat both ways, an image, then %s: no message text or keys left in either profile',
    async (ending) => {
      const alice: FirefoxProfile = await launchFirefox();
      const bob: FirefoxProfile = await launchFirefox();
      try {
        const [a, b] = [alice.page, bob.page];
        const errors: string[] = [];
        for (const p of [a, b]) p.on('pageerror', (e) => errors.push((e as Error).message));

        const link = await createRoomFx(a, relay.url);
        // The service worker runs in Firefox too (the shell is precached, the session marker set).
        expect(
          await a.evaluate(async () => {
            await navigator.serviceWorker.ready;
            for (let i = 0; i < 200 && !(await caches.has('ghostwire-session-open')); i++) await new Promise((r) => setTimeout(r, 50));
            return caches.has('ghostwire-session-open');
          }),
        ).toBe(true);

        await b.goto(`${relay.url}/`);
        await enterFx(b);
        await b.goto(link);
        await connectedFx(b);
        // The fragment is stripped from the address bar at once.
        expect(b.url()).toBe(`${relay.url}/r`);
        // An MLS room (the default): Bob reads what Alice sends once she has added him.
        await sameGroupFx(a, b);

        const canaryA = `canary-${randomBytes(8).toString('hex')} from alice`;
        const canaryB = `canary-${randomBytes(8).toString('hex')} from bob`;
        await sayFx(a, b, canaryA);
        await sayFx(b, a, canaryB);
        await b.waitForFunction(() => document.querySelector('[data-testid=participants]')?.textContent === '2 here', { timeout: 30_000 });

        // An image, encoded by Firefox itself, attached through the file input.
        const jpeg = Buffer.from(
          await a.evaluate(async () => {
            const c = new OffscreenCanvas(320, 200);
            const g = c.getContext('2d')!;
            g.fillStyle = '#3a7';
            g.fillRect(0, 0, 320, 200);
            return [...new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer())];
          }),
        );
        const file = join(alice.dir, '..', `gw-ff-${randomBytes(4).toString('hex')}.jpg`);
        writeFileSync(file, jpeg);
        await sendImageFx(a, file);
        await b.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-testid=message-image]')?.naturalWidth === 320, {
          timeout: 30_000,
        });

        const secret = fromBase64url(linkSecret(link));
        const needles: Needle[] = [
          { name: 'canary from alice', forms: namedEncodings(canaryA) },
          { name: 'canary from bob', forms: namedEncodings(canaryB) },
          { name: 'content key', forms: byteEncodings(await hkdf(secret, Label.ContentKey, 32)) },
          { name: 'access key', forms: byteEncodings(await hkdf(secret, Label.AccessKey, 32)) },
          { name: 'room secret', forms: byteEncodings(secret) },
        ];
        expect(await texts(b, '[data-testid=message-body]')).toContain(canaryA);
        // Drafts in the composers, and the seconds a real session gives the session store to write (every 15 s by default).
        await fillLabelled(a, 'Message', `${canaryA} draft`);
        await fillLabelled(b, 'Message', `${canaryB} draft`);
        await new Promise((r) => setTimeout(r, 16_000));

        // Loads cut off by leaving a page (the test's navigations, later the panic) are not errors; anything else is.
        expect(errors.filter((e) => !isCutOffLoad(e))).toEqual([]);
        if (ending === 'panic') {
          await panicFx(a);
          await panicFx(b);
          expect(errors.filter((e) => !isCutOffLoad(e))).toEqual([]);
        }
        if (errors.length) process.stderr.write(`firefox-journey: cut-off loads: ${errors.join(' | ')}\n`);
        await alice.close();
        await bob.close();

        const report: Record<'alice' | 'bob', FirefoxScan> = { alice: scanFirefoxProfile(alice.dir, needles), bob: scanFirefoxProfile(bob.dir, needles) };
        process.stdout.write(`firefox residue scan after ${ending}: ${JSON.stringify(report, null, 1)}\n`);
        for (const who of ['alice', 'bob'] as const) {
          const r = report[who];
          expect(r.files).toBeGreaterThan(10);
          expect(r.present.places, `${who}: places.sqlite scanned`).toBe(true);
          expect(r.present.sessionstore, `${who}: a session store file scanned`).toBe(true);
          expect(r.present.cache2, `${who}: the HTTP cache scanned`).toBeGreaterThan(0);
          const leaks = r.findings.filter((f) => f.needle !== 'room secret');
          expect(leaks, `${who}'s profile holds secret material`).toEqual([]);
        }
        // The session store is read, not just present: decompressed, it names the relay's origin (the tab's URL).
        const origin: Needle = { name: 'relay origin', forms: [{ form: 'utf8', bytes: Buffer.from(new URL(relay.url).host) }] };
        expect(scanFirefoxProfile(bob.dir, [origin]).findings.some((f) => /sessionstore.*\(decompressed\)/.test(f.file))).toBe(true);
        // Alice never had the link in an address bar: no trace of the secret. Bob opened it by URL, and
        // places.sqlite (history) keeps it, fragment and all, as Chromium's History does: the known residue
        // the Privacy page warns about, and proof the scan finds text in these files.
        expect(report.alice.findings).toEqual([]);
        expect(report.bob.findings).toContainEqual({ needle: 'room secret', form: 'base64url@0/utf8', file: expect.stringMatching(/^places\.sqlite/) });
      } finally {
        await alice.cleanup();
        await bob.cleanup();
      }
    },
    240_000,
  );
});
