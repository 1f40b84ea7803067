import type { PinRecord } from '../../../sw/src/release-pin.js';
import { OFFICIAL_RELEASE_KEYS } from './keys.js';
import { compareVersions, sha256Hex, type ReleaseManifest } from './manifest.js';
import { readRelease, signerKey, type Release } from './release.js';

/**
 * What the running (old, trusted) code concluded about the code the relay serves now.
 * - checking: not done yet (rooms wait);
 * - unsupported: no service worker here (Firefox private windows, Tor Browser), so nothing is pinned;
 * - first-use: nothing pinned yet: this visit is trust on first use;
 * - ok: the relay serves exactly the pinned release;
 * - update: it serves a newer release signed by a trusted key, every file matching;
 * - warning: anything else; no room may open;
 * - unreachable: the check could not reach the relay (rooms wait: a relay that cannot be checked is not trusted).
 */
export type Verdict =
  | { kind: 'checking' }
  | { kind: 'unsupported' }
  | { kind: 'first-use'; served: Release | null }
  | { kind: 'ok'; running: Release }
  | { kind: 'update'; running: Release; next: Release }
  | { kind: 'warning'; running: Release | null; reason: string }
  | { kind: 'unreachable'; running: Release };

export interface AuditInput {
  /** The pin's raw record (what the active worker was installed from), or null if none. */
  pin: PinRecord | null;
  /** What the relay serves now: a record, null for "no manifest" (404 or the like), 'unreachable' on a network error. */
  served: PinRecord | null | 'unreachable';
  /** A newer worker is installed (waiting) or installing. */
  newWorker: boolean;
  /** The page's controller changed although nobody accepted an update. */
  hijacked: boolean;
  /** Fetches a served path from the network (bypassing the worker); null on a network error. */
  fetchBytes: (path: string) => Promise<Uint8Array<ArrayBuffer> | null>;
  officialKeys?: readonly string[];
}

/** Files fetched at once while comparing served bytes with a manifest. */
const AUDIT_CONCURRENCY = 4;

/** Paths whose served bytes differ from `m` (routes must serve /index.html's bytes); null if the relay could not be reached. */
export async function mismatchedFiles(m: ReleaseManifest, fetchBytes: AuditInput['fetchBytes']): Promise<string[] | null> {
  const jobs: Array<[path: string, expected: { sha256: string; size: number } | undefined]> = [
    ...Object.entries(m.files),
    ...m.routes.map((r) => [r, m.files['/index.html']] as [string, { sha256: string; size: number } | undefined]),
  ];
  const bad: string[] = [];
  let unreachable = false;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [path, want] = jobs[next++]!;
      const bytes = await fetchBytes(path);
      if (!bytes) {
        unreachable = true;
        continue;
      }
      if (!want || bytes.length !== want.size || (await sha256Hex(bytes)) !== want.sha256) bad.push(path);
    }
  };
  await Promise.all(Array.from({ length: AUDIT_CONCURRENCY }, worker));
  if (bad.length) return bad.sort();
  return unreachable ? null : [];
}

const warn = (running: Release | null, reason: string): Verdict => ({ kind: 'warning', running, reason });
/** "a, b, c and 4 more" */
const listed = (paths: string[]) => (paths.length > 5 ? `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more` : paths.join(', '));

/** Decides what the relay's current code is, from the old code's point of view. Never throws. */
export async function audit(input: AuditInput): Promise<Verdict> {
  const official = input.officialKeys ?? OFFICIAL_RELEASE_KEYS;
  const served = input.served === 'unreachable' || input.served === null ? null : await readRelease(input.served, official);
  if (!input.pin) return { kind: 'first-use', served };
  const running = await readRelease(input.pin, official);
  if (!running) return warn(null, 'The release this app was installed from can no longer be read on this device.');
  if (input.hijacked) return warn(running, 'A new service worker took over this page although no update was accepted.');
  if (input.served === 'unreachable') return { kind: 'unreachable', running };
  if (input.served === null) return warn(running, 'The relay serves no release manifest, so its code cannot be checked.');
  if (!served) return warn(running, "The relay's release manifest is malformed, or its root does not match its own file list.");

  if (served.manifest.root === running.manifest.root) {
    if (input.newWorker) return warn(running, 'A new service worker was installed, but the relay names no new release.');
    const bad = await mismatchedFiles(served.manifest, input.fetchBytes);
    if (bad === null) return { kind: 'unreachable', running };
    if (bad.length) return warn(running, `Files that differ from the release: ${listed(bad)}.`);
    return { kind: 'ok', running };
  }

  // A different release: it must be signed by the key this install trusts (the one that signed it, or the official one).
  const trusted = new Set([...official, ...[signerKey(running.signer)].filter((k): k is string => !!k)]);
  const key = signerKey(served.signer);
  if (served.signer.kind === 'bad-signature') return warn(running, "The new release's signature does not verify.");
  if (!key) return warn(running, 'The new code is unsigned.');
  if (!trusted.has(key)) return warn(running, 'The new code is signed by a key this app does not trust.');
  if (compareVersions(served.manifest.version, running.manifest.version) <= 0) {
    return warn(running, `The relay offers version ${served.manifest.version}, not newer than the installed ${running.manifest.version}: a rollback.`);
  }
  const bad = await mismatchedFiles(served.manifest, input.fetchBytes);
  if (bad === null) return { kind: 'unreachable', running };
  if (bad.length) return warn(running, `Files that differ from the signed release: ${listed(bad)}.`);
  return { kind: 'update', running, next: served };
}
