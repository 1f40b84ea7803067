import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signManifest } from '../../../scripts/release-sign.js';
import type { PinRecord } from '../../../sw/src/release-pin.js';
import { utf8 } from '../../../protocol/src/crypto/bytes.js';
import { audit, type AuditInput } from './audit.js';
import { MANIFEST_FORMAT, rootOf, sha256Hex, type ReleaseManifest } from './manifest.js';

const keyPem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const MINE = keyPem();
const OTHER = keyPem();

/** A release of the given files (path → content), signed with `pem` or unsigned. */
async function releaseOf(version: string, files: Record<string, string>, pem: string | null): Promise<PinRecord> {
  const entries: ReleaseManifest['files'] = {};
  for (const [p, body] of Object.entries(files)) entries[p] = { sha256: await sha256Hex(utf8(body)), size: utf8(body).length };
  const m: ReleaseManifest = { format: MANIFEST_FORMAT, app: 'ghostwire', version, protocolVersion: 1, routes: ['/r'], files: entries, root: await rootOf(entries) };
  const text = `${JSON.stringify(m, null, 2)}\n`;
  return { manifest: text, signature: pem ? signManifest(text, pem) : null };
}

const V1 = { '/index.html': '<html>1</html>', '/sw.js': 'sw1', '/assets/a.js': 'a1' };
const V2 = { '/index.html': '<html>2</html>', '/sw.js': 'sw2', '/assets/a.js': 'a2' };

/** The relay serves `files` (routes answer with /index.html). */
const serving = (files: Record<string, string>): AuditInput['fetchBytes'] => async (path) => utf8(files[path === '/r' ? '/index.html' : path] ?? '');

async function verdict(over: Partial<AuditInput> & { pin: PinRecord | null }) {
  return audit({ served: over.pin, newWorker: false, hijacked: false, fetchBytes: serving(V1), ...over });
}

describe('release audit (the old code judging what the relay serves)', () => {
  it('passes the pinned release served unchanged', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    expect((await verdict({ pin })).kind).toBe('ok');
  });

  it('is trust on first use when nothing is pinned', async () => {
    expect((await verdict({ pin: null, served: await releaseOf('0.1.0', V1, null) })).kind).toBe('first-use');
  });

  it('warns when a served file differs from the unchanged manifest, naming it', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const v = await verdict({ pin, fetchBytes: serving({ ...V1, '/assets/a.js': 'evil' }) });
    expect(v).toMatchObject({ kind: 'warning', reason: expect.stringContaining('/assets/a.js') });
  });

  it('warns when a route answers with other bytes than /index.html', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const f = serving(V1);
    const v = await verdict({ pin, fetchBytes: (p) => (p === '/r' ? Promise.resolve(utf8('evil')) : f(p)) });
    expect(v).toMatchObject({ kind: 'warning', reason: expect.stringContaining('/r') });
  });

  it('warns when a new worker installed but the relay names no new release', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    expect((await verdict({ pin, newWorker: true })).kind).toBe('warning');
  });

  it('warns when the controller changed without an accepted update', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    expect((await verdict({ pin, hijacked: true })).kind).toBe('warning');
  });

  it('offers a newer release signed by the pinned key whose files all match', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const served = await releaseOf('0.2.0', V2, MINE);
    const v = await verdict({ pin, served, newWorker: true, fetchBytes: serving(V2) });
    expect(v.kind).toBe('update');
    if (v.kind === 'update') expect(v.next.manifest.version).toBe('0.2.0');
  });

  it('accepts a release by a compiled-in official key even when another key signed the install', async () => {
    const pin = await releaseOf('0.1.0', V1, OTHER);
    const served = await releaseOf('0.2.0', V2, MINE);
    const { createPublicKey, createPrivateKey } = await import('node:crypto');
    const official = createPublicKey(createPrivateKey(MINE)).export({ format: 'jwk' }).x!;
    const v = await verdict({ pin, served, fetchBytes: serving(V2), officialKeys: [official] });
    expect(v.kind).toBe('update');
    if (v.kind === 'update') expect(v.next.signer.kind).toBe('official');
  });

  it.each([
    ['unsigned', null],
    ['signed by another key', OTHER],
  ])('warns about a new release that is %s', async (_name, pem) => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const served = await releaseOf('0.2.0', V2, pem);
    expect((await verdict({ pin, served, fetchBytes: serving(V2), officialKeys: [] })).kind).toBe('warning');
  });

  it('warns when an unsigned install meets other unsigned code (nothing can vouch for it)', async () => {
    const pin = await releaseOf('0.1.0', V1, null);
    const served = await releaseOf('0.2.0', V2, null);
    expect((await verdict({ pin, served, fetchBytes: serving(V2), officialKeys: [] })).kind).toBe('warning');
  });

  it('warns about a signature that does not verify (manifest changed after signing)', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const served = await releaseOf('0.2.0', V2, MINE);
    const tampered = await releaseOf('0.2.0', { ...V2, '/assets/a.js': 'evil' }, null);
    const v = await verdict({ pin, served: { manifest: tampered.manifest, signature: served.signature }, fetchBytes: serving({ ...V2, '/assets/a.js': 'evil' }) });
    expect(v).toMatchObject({ kind: 'warning', reason: expect.stringContaining('signature') });
  });

  it('warns about a rollback to an older signed release', async () => {
    const pin = await releaseOf('0.2.0', V2, MINE);
    const served = await releaseOf('0.1.0', V1, MINE);
    expect(await verdict({ pin, served, fetchBytes: serving(V1) })).toMatchObject({ kind: 'warning', reason: expect.stringContaining('rollback') });
  });

  it('warns when a signed new release is served with other bytes than it lists', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const served = await releaseOf('0.2.0', V2, MINE);
    expect((await verdict({ pin, served, fetchBytes: serving({ ...V2, '/sw.js': 'evil' }) })).kind).toBe('warning');
  });

  it('warns when the relay serves no manifest, and waits (unreachable) when it cannot be reached', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    expect((await verdict({ pin, served: null })).kind).toBe('warning');
    expect((await verdict({ pin, served: 'unreachable' })).kind).toBe('unreachable');
  });

  it('warns about a manifest whose root does not match its own list', async () => {
    const pin = await releaseOf('0.1.0', V1, MINE);
    const bad = pin.manifest.replace(/"root": "[0-9a-f]+"/, `"root": "${'0'.repeat(64)}"`);
    expect((await verdict({ pin, served: { manifest: bad, signature: null } })).kind).toBe('warning');
  });
});
