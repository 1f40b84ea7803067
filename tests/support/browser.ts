import { spawn, type ChildProcess } from 'node:child_process';
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

export interface SpawnedChromium {
  browser: Browser;
  /** The profile's default context (persistent, in `dir`). */
  context: BrowserContext;
  proc: ChildProcess;
  /** SIGKILL the browser process, as a crash or a power cut would: nothing in the page or worker gets to run. */
  kill(): Promise<void>;
  /** Closes the browser normally. */
  close(): Promise<void>;
}

/**
 * Starts Chromium ourselves on a profile directory and connects over CDP, so a
 * test holds the browser's process and can SIGKILL it (launchPersistentContext
 * does not expose the process). Start it again on the same `dir` to reopen.
 */
export async function spawnChromium(dir: string, extraArgs: string[] = []): Promise<SpawnedChromium> {
  const exe = chromiumPath() ?? chromium.executablePath();
  const proc = spawn(exe, [...CHROMIUM_ARGS, '--headless', '--remote-debugging-port=0', `--user-data-dir=${dir}`, ...extraArgs, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so the renderers it started can be ended with it (by this group's id only).
    detached: true,
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 30_000);
    proc.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${err}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  const exited = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));
  const endGroup = () => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  return {
    browser,
    context,
    proc,
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
      endGroup();
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      endGroup();
    },
  };
}

/** A fresh, empty profile directory; remove it with rmSync when done. */
export function freshProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'gw-profile-'));
}
/**
 * For WebRTC between two contexts on this machine: gather plain host
 * candidates (not mDNS .local names, which need multicast resolution) and
 * allow loopback ones (Chromium skips loopback interfaces by default).
 */
export const WEBRTC_LOOPBACK_ARGS = ['--disable-features=WebRtcHideLocalIpsWithMdns', '--allow-loopback-in-peer-connection'];
