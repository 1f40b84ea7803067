import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { missing } from './need.js';

/** Debian's Firefox ESR, or GHOSTWIRE_FIREFOX (a path). */
export const firefoxPath = (): string => process.env.GHOSTWIRE_FIREFOX ?? '/usr/bin/firefox-esr';

/** True if Firefox can be launched here; false with a loud message (a throw under CI=true) if not. */
export function firefoxAvailable(): boolean {
  if (existsSync(firefoxPath())) return true;
  return missing(`Firefox at ${firefoxPath()}`, 'Install it (apt-get install -y firefox-esr) or set GHOSTWIRE_FIREFOX.');
}

/** Quiet, offline prefs (this machine has no internet), plus what a test asks for. */
const QUIET_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  // Service workers on 127.0.0.1 over http: a secure context already (localhost), nothing to relax there.
};

/** Tor Browser's stance, as far as a pref goes: no service workers, no WebRTC. */
export const TOR_LIKE_PREFS: Record<string, unknown> = {
  'dom.serviceWorkers.enabled': false,
  'media.peerconnection.enabled': false,
};

export interface FirefoxProfile {
  browser: Browser;
  page: Page;
  /** The profile directory on disk (places.sqlite, sessionstore-backups, cache2 under it). */
  dir: string;
  /** Closes Firefox normally (the profile stays, for a scan). */
  close(): Promise<void>;
  /** Closes and deletes the profile. */
  cleanup(): Promise<void>;
}

/**
 * Launches Debian's Firefox on its own fresh profile over WebDriver BiDi
 * (puppeteer-core: no browser download). `prefs` are written to the profile's user.js.
 */
export async function launchFirefox(prefs: Record<string, unknown> = {}): Promise<FirefoxProfile> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-ff-profile-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: dir,
    extraPrefsFirefox: { ...QUIET_PREFS, ...prefs },
    protocolTimeout: 120_000,
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => undefined);
  };
  return {
    browser,
    page,
    dir,
    close,
    cleanup: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits for `selector` (CSS) to exist and be visible. */
export async function seen(page: Page, selector: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(selector, { visible: true, timeout });
}

/** Clicks the button whose text (trimmed) is exactly `text`. */
export async function clickButton(page: Page, text: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction((t) => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === t && !b.disabled), { timeout }, text);
  await page.evaluate((t) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === t && !b.disabled)!.click(), text);
}

/** Fills an input found by aria-label and sends input events, as typing would. */
export async function fillLabelled(page: Page, label: string, value: string): Promise<void> {
  const sel = `[aria-label="${label}"]`;
  await seen(page, sel);
  await page.$eval(sel, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(sel, value);
}

/** The trimmed text of every element matching `selector`. */
export const texts = (page: Page, selector: string): Promise<string[]> =>
  page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));

/**
 * What Firefox reports for a lazy chunk whose load was cut off because its page went away (the test's
 * own navigation, or panic replacing the page): an integrity mismatch whose computed hash is SHA-384
 * of zero bytes (the body never came), or, through the worker, a failed intercepted load. Seen in
 * Firefox ESR 153 on the landing page's prefetched chunks when a test navigates on at once. Any other
 * page error is a real one.
 */
export function isCutOffLoad(message: string): boolean {
  return (
    /^None of the “sha384” hashes in the integrity attribute match the content of the subresource at “[^”]+\/assets\/[\w.-]+\.js”\. The computed hash is “OLBgp1GsljhM2TJ\+sbHjaiH9txEUvgdDTAzHv2P24donTt6\/529l\+9Ua0vFImLlb”\.$/.test(message) ||
    /^Failed to load ‘[^’]+\/assets\/[\w.-]+\.js’\. A ServiceWorker intercepted the request and encountered an unexpected error\.$/.test(message)
  );
}
