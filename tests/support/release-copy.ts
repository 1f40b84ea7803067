import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest } from '../../scripts/release-manifest.js';
import { signManifest } from '../../scripts/release-sign.js';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../../sw/src/release-pin.js';
import { ROOT } from './relay-process.js';

/** A throwaway Ed25519 release key for one test run (PKCS#8 PEM). Never the project's key. */
export function throwawayKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A copy of the built dist/web in a temp dir, for a relay started with STATIC_DIR on it. */
export function copyOfBuild(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-release-'));
  cpSync(join(ROOT, 'dist/web'), dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rewrites `dir`'s manifest as `version` (over its current files) and signs it with `pem` (or leaves it unsigned). */
export async function release(dir: string, version: string, pem: string | null): Promise<{ root: string }> {
  const m = await buildManifest(dir, version);
  const text = `${JSON.stringify(m, null, 2)}\n`;
  writeFileSync(join(dir, MANIFEST_PATH), text);
  rmSync(join(dir, SIGNATURE_PATH), { force: true });
  if (pem) writeFileSync(join(dir, SIGNATURE_PATH), signManifest(text, pem));
  return { root: m.root };
}

export const readText = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');
