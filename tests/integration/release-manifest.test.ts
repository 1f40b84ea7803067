import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROUTES } from '../../relay/src/static.js';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../../sw/src/release-pin.js';
import { parseManifest, sha256Hex, type ReleaseManifest } from '../../web/src/release/manifest.js';
import { parseSignature, signatureValid } from '../../web/src/release/signature.js';
import { signManifest } from '../../scripts/release-sign.js';
import { throwawayKey } from '../support/release-copy.js';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

const WEB = join(ROOT, 'dist/web');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

describe('release manifest of the build (dist/web)', () => {
  let relay: RelayProcess;
  let text: string;
  let m: ReleaseManifest;

  beforeAll(async () => {
    text = readFileSync(join(WEB, MANIFEST_PATH), 'utf8');
    const parsed = await parseManifest(text);
    if (!parsed) throw new Error('dist/web has no valid release manifest: run npm run build');
    m = parsed;
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('lists every file in dist/web but itself and its signature, with the right hash and size', async () => {
    const onDisk = walk(WEB)
      .map((abs) => `/${relative(WEB, abs).split(sep).join('/')}`)
      .filter((p) => p !== MANIFEST_PATH && p !== SIGNATURE_PATH)
      .sort();
    // The build's .br/.gz copies are encodings of a listed file: each must decode to exactly that file.
    const copies = onDisk.filter((p) => /\.(br|gz)$/.test(p));
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) {
      const original = c.replace(/\.(br|gz)$/, '');
      expect(m.files[original], c).toBeDefined();
      const decoded = (c.endsWith('.br') ? brotliDecompressSync : gunzipSync)(readFileSync(join(WEB, c)));
      expect(decoded.equals(readFileSync(join(WEB, original))), c).toBe(true);
    }
    const listed = onDisk.filter((p) => !copies.includes(p));
    expect(Object.keys(m.files).sort()).toEqual(listed);
    for (const p of listed) {
      const bytes = new Uint8Array(readFileSync(join(WEB, p)));
      expect(m.files[p], p).toEqual({ sha256: await sha256Hex(bytes), size: bytes.length });
    }
    expect(m.routes.sort()).toEqual([...APP_ROUTES].sort());
  });

  it('covers every file the relay serves: each listed path and app route answers with exactly the listed bytes', async () => {
    for (const [path, want] of [...Object.entries(m.files), ...m.routes.map((r) => [r, m.files['/index.html']!] as const)]) {
      const res = await fetch(`${relay.url}${path}`);
      expect(res.status, path).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect({ sha256: await sha256Hex(bytes), size: bytes.length }, path).toEqual(want);
    }
    // And the manifest itself is served, byte for byte, with no-store (it changes with every release).
    const res = await fetch(`${relay.url}${MANIFEST_PATH}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe(text);
  });

  it('the relay serves nothing outside the manifest: unknown paths are 404, the unsigned build has no signature', async () => {
    for (const p of ['/assets/nope.js', '/.well-known/ghostwire/other.json', '/src/main.tsx', '/../package.json']) {
      expect((await fetch(`${relay.url}${p}`)).status, p).toBe(404);
    }
    expect((await fetch(`${relay.url}${SIGNATURE_PATH}`)).status).toBe(404);
  });

  it('release:sign signs the exact bytes: the app verifies it, and any change to the manifest breaks it', async () => {
    const sig = parseSignature(signManifest(text, throwawayKey()))!;
    expect(sig).not.toBeNull();
    expect(await signatureValid(text, sig)).toBe(true);
    expect(await signatureValid(text.replace(m.version, '9.9.9'), sig)).toBe(false);
  });
});
