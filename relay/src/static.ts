import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/** Client-side routes that all answer with the app shell. */
export const APP_ROUTES = ['/', '/r', '/d', '/scan', '/privacy', '/farewell'];

/** Serves the built PWA from `dir`: its files, and index.html for the app's own routes. */
export function mountStatic(app: Hono, dir: string): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.text('The PWA is not built. Run `npm run build` (or `npm start`, which builds first).', 503),
    );
    return;
  }
  // Brotli or gzip copies written at build time (scripts/compress-web.mjs), where the browser accepts them.
  for (const route of APP_ROUTES) app.get(route, serveStatic({ path: index, precompressed: true }));
  app.use('/*', serveStatic({ root: dir, precompressed: true }));
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
