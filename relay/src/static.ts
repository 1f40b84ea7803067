import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/** Client-side routes that all answer with the app shell. */
export const APP_ROUTES = ['/', '/r', '/d', '/scan', '/privacy', '/farewell'];

/**
 * The build's .br/.gz copies (scripts/compress-web.mjs) in `dir` that do not decode to the file
 * beside them: a file changed after the build (an operator's edit, a re-signed release) would
 * otherwise be served as its old bytes to every browser that accepts compression.
 */
export function staleCompressedCopies(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir).filter((copy) => {
    const m = /\.(br|gz)$/.exec(copy);
    if (!m) return false;
    const original = copy.slice(0, -m[0].length);
    if (!existsSync(original)) return true;
    try {
      return !(m[1] === 'br' ? brotliDecompressSync : gunzipSync)(readFileSync(copy)).equals(readFileSync(original));
    } catch {
      return true;
    }
  });
}

/**
 * Serves the built PWA from `dir`: its files, and index.html for the app's own routes. Compressed
 * copies are served where the browser accepts them, but only if every one of them matches its file
 * (checked once, here); otherwise `onStale` hears how many did not and everything is served as is.
 */
export function mountStatic(app: Hono, dir: string, onStale: (count: number) => void = () => undefined): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.text('The PWA is not built. Run `npm run build` (or `npm start`, which builds first).', 503),
    );
    return;
  }
  // Brotli or gzip copies written at build time (scripts/compress-web.mjs), where the browser accepts them.
  const stale = staleCompressedCopies(dir).length;
  if (stale > 0) onStale(stale);
  const precompressed = stale === 0;
  for (const route of APP_ROUTES) app.get(route, serveStatic({ path: index, precompressed }));
  app.use('/*', serveStatic({ root: dir, precompressed }));
}

/**
 * CSP hash sources ('sha256-…') of the inline import map in the built
 * index.html (scripts/vite-sri.ts writes it), read once at start. Empty when
 * the PWA is not built or has none.
 */
export function shellScriptHashes(dir: string): string[] {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/<script type="importmap">([^<]*)<\/script>/g)].map((m) => `sha256-${createHash('sha256').update(m[1]!).digest('base64')}`);
}
