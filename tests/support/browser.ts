import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type LaunchOptions } from 'playwright-core';
import { missing } from './need.js';

/**
 * Which Chromium drives the e2e tests: GHOSTWIRE_CHROMIUM (a path) if set;
 * PLAYWRIGHT_BROWSER=bundled for Playwright's own download; else Debian's.
 */
export function chromiumPath(): string | undefined {
  if (process.env.PLAYWRIGHT_BROWSER === 'bundled') return undefined;
  return process.env.GHOSTWIRE_CHROMIUM ?? '/usr/bin/chromium';
}

/** Flags for a quiet, offline-friendly headless Chromium (this machine has no internet). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** True if a Chromium can be launched here; false (with a loud message, or a throw under CI) if not. */
export function chromiumAvailable(): boolean {
  const path = chromiumPath();
  if (path && !existsSync(path)) {
    return missing(`Chromium at ${path}`, 'Install it (apt-get install -y chromium), set GHOSTWIRE_CHROMIUM, or PLAYWRIGHT_BROWSER=bundled.');
  }
  return true;
}

export function launchOptions(extraArgs: string[] = []): LaunchOptions {
  const executablePath = chromiumPath();
  return { headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], ...(executablePath ? { executablePath } : {}) };
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(launchOptions(extraArgs));
}

/** A persistent context in a fresh --user-data-dir (so tests can inspect the profile on disk). */
export async function launchProfile(extraArgs: string[] = []): Promise<{ context: BrowserContext; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-profile-'));
  const context = await chromium.launchPersistentContext(dir, { ...launchOptions(extraArgs), serviceWorkers: 'allow' });
  return {
    context,
    dir,
    cleanup: async () => {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For WebRTC between two contexts on this machine: gather plain host
 * candidates (not mDNS .local names, which need multicast resolution) and
 * allow loopback ones (Chromium skips loopback interfaces by default).
 */
export const WEBRTC_LOOPBACK_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection'];
