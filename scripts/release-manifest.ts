// Writes dist/web/.well-known/ghostwire/manifest.json: every file the relay
// serves from dist/web with its SHA-256 and size, the app and protocol
// versions, the app routes that answer with index.html, and the root hash
// (web/src/release/manifest.ts). Part of `npm run build`; deterministic, so
// two builds of one commit print the same root. Usage: tsx scripts/release-manifest.ts [dir]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { PROTOCOL_VERSION } from '../protocol/src/version.js';
import { APP_ROUTES } from '../relay/src/static.js';
import { MANIFEST_PATH, SIGNATURE_PATH } from '../sw/src/release-pin.js';
import { MANIFEST_FORMAT, rootOf, sha256Hex, type FileEntry, type ReleaseManifest } from '../web/src/release/manifest.js';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

/** Builds the manifest of `webDir` (the manifest and its signature excluded: they describe the rest). */
export async function buildManifest(webDir: string, version: string): Promise<ReleaseManifest> {
  const files: Record<string, FileEntry> = {};
  for (const abs of walk(webDir)) {
    const path = `/${relative(webDir, abs).split(sep).join('/')}`;
    if (path === MANIFEST_PATH || path === SIGNATURE_PATH) continue;
    // The .br/.gz copies scripts/compress-web.mjs writes are encodings of a listed file, not files of their own.
    if (/\.(br|gz)$/.test(path)) continue;
    const bytes = new Uint8Array(readFileSync(abs));
    files[path] = { sha256: await sha256Hex(bytes), size: bytes.length };
  }
  const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]!]));
  return {
    format: MANIFEST_FORMAT,
    app: 'ghostwire',
    version,
    protocolVersion: PROTOCOL_VERSION,
    routes: [...APP_ROUTES],
    files: sorted,
    root: await rootOf(sorted),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = resolve(import.meta.dirname, '..');
  const webDir = resolve(process.argv[2] ?? join(root, 'dist/web'));
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = (pkg as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  const m = await buildManifest(webDir, version);
  const out = join(webDir, MANIFEST_PATH);
  mkdirSync(resolve(out, '..'), { recursive: true });
  // Two-space JSON with a final newline: these exact bytes are what a release signature covers.
  writeFileSync(out, `${JSON.stringify(m, null, 2)}\n`);
  console.log(`release manifest: ${Object.keys(m.files).length} files, version ${m.version}, root ${m.root}`);
}
