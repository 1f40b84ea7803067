import { createHash } from 'node:crypto';
import type { Plugin, Rollup } from 'vite';

/** SRI digest (sha384, as browsers and the SRI spec recommend) of some bytes. */
export function sri(bytes: string | Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/**
 * Adds integrity= to every script, stylesheet and modulepreload in index.html,
 * and an import map whose "integrity" section covers every JS chunk, so that
 * chunks loaded by import() (which no attribute can carry) are checked too.
 * With the relay's `Integrity-Policy: blocked-destinations=(script)` a script
 * without integrity metadata does not run at all.
 *
 * The import map is the one inline script: the relay allows it by its hash
 * (relay/src/static.ts reads it from the built index.html), never 'unsafe-inline'.
 *
 * Runs last in generateBundle, when chunk code is final (Vite rewrites preload
 * lists earlier in the same hook), so the hashes are of the bytes written.
 */
export function subresourceIntegrity(): Plugin {
  return {
    name: 'ghostwire:sri',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const html = bundle['index.html'];
        if (!html || html.type !== 'asset') return;
        const digests = digestsOf(bundle);
        html.source = addIntegrity(String(html.source), digests);
      },
    },
  };
}

function digestsOf(bundle: Rollup.OutputBundle): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, item] of Object.entries(bundle)) {
    if (file === 'index.html') continue;
    out.set(`/${file}`, sri(item.type === 'chunk' ? item.code : item.source));
  }
  return out;
}

/** The import map's JSON: integrity for every JS chunk the page can import, sorted so the output is stable. */
export function importMapJson(digests: Map<string, string>): string {
  const integrity: Record<string, string> = {};
  for (const path of [...digests.keys()].filter((p) => p.endsWith('.js') && p.startsWith('/assets/')).sort()) integrity[path] = digests.get(path)!;
  return JSON.stringify({ imports: {}, integrity });
}

export function addIntegrity(html: string, digests: Map<string, string>): string {
  const need = (path: string) => {
    const d = digests.get(path);
    if (!d) throw new Error(`sri: index.html references ${path}, which is not in the bundle`);
    return d;
  };
  let out = html
    .replace(/<script\b([^>]*?)\bsrc="([^"]+)"([^>]*)><\/script>/g, (_m, a: string, src: string, b: string) => `<script${a}src="${src}" integrity="${need(src)}"${b}></script>`)
    .replace(/<link\b([^>]*?)\brel="(stylesheet|modulepreload)"([^>]*?)\bhref="([^"]+)"([^>]*)>/g, (_m, a: string, rel: string, b: string, href: string, c: string) =>
      `<link${a}rel="${rel}"${b}href="${href}" integrity="${need(href)}"${c}>`,
    );
  const map = `<script type="importmap">${importMapJson(digests)}</script>`;
  // An import map must come before the first module script, or the browser ignores it.
  const first = out.search(/<script\b[^>]*type="module"/);
  if (first < 0) throw new Error('sri: index.html has no module script');
  out = `${out.slice(0, first)}${map}\n    ${out.slice(first)}`;
  return out;
}

/** The content of index.html's import map, for the CSP hash; null if there is none. */
export function importMapContent(html: string): string | null {
  return /<script type="importmap">([^<]*)<\/script>/.exec(html)?.[1] ?? null;
}
