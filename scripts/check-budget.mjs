// Checks the landing page's initial JavaScript against its gzip budget: every
// script and modulepreload that dist/web/index.html loads, plus the chunks
// they import statically (dynamic import() chunks load on demand and do not
// count). Deterministic, so it may fail the build (`npm test` runs it).
// Usage: node scripts/check-budget.mjs [--json]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The landing page's initial JS may weigh this many bytes gzipped (25 kB, as Vite counts kB: issue 18). */
export const INITIAL_JS_BUDGET_GZIP_BYTES = 25_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'dist/web');

/** Paths (relative to dist/web) the HTML loads as module scripts or preloads. */
export function htmlScripts(html) {
  const out = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) out.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) out.add(m[1]);
  return [...out].map((p) => p.replace(/^\//, ''));
}

/** Relative chunks a minified ES module imports statically (`import"./x.js"`, `from"./x.js"`), not `import("./x.js")`. */
export function staticImports(code) {
  const out = new Set();
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) out.add(m[1]);
  return [...out];
}

/** Every file of the initial load with its raw and gzip size. */
export function initialJs(webDir = WEB) {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const seen = new Map();
  const visit = (rel) => {
    if (seen.has(rel)) return;
    const code = readFileSync(join(webDir, rel));
    seen.set(rel, { file: rel, bytes: code.length, gzip: gzipSync(code, { level: 9 }).length });
    for (const dep of staticImports(code.toString('utf8'))) visit(join(dirname(rel), dep));
  };
  for (const rel of htmlScripts(html)) visit(rel);
  const files = [...seen.values()];
  return { files, gzip: files.reduce((s, f) => s + f.gzip, 0), budget: INITIAL_JS_BUDGET_GZIP_BYTES };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(WEB, 'index.html'))) {
    console.error('check-budget: dist/web/index.html is missing: run `npm run build` first.');
    process.exit(1);
  }
  const r = initialJs();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(r));
  } else {
    for (const f of r.files) console.log(`  ${f.file}  ${f.bytes} B, ${f.gzip} B gzip`);
    console.log(`landing page initial JS: ${r.gzip} B gzip of a ${r.budget} B budget`);
  }
  if (r.gzip > r.budget) {
    console.error(`check-budget: the landing page's initial JS is ${r.gzip} B gzipped, over its ${r.budget} B budget. Load more on demand (dynamic import()).`);
    process.exit(1);
  }
}
