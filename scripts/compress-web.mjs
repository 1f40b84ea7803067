// Writes a Brotli (.br) and a gzip (.gz) copy next to each text file of the built PWA, where it is
// smaller, for the relay to serve to browsers that accept it (@hono/node-server's `precompressed`).
// Runs last in `npm run build`: the bytes a browser decodes are the file's own, so SRI hashes, the
// precache manifest and the release manifest (which skips these copies) all still describe the file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|mjs|css|html|svg|webmanifest)$/;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

const dir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist/web'));
let files = 0;
for (const path of walk(dir).filter((p) => TEXT.test(p))) {
  const bytes = readFileSync(path);
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  const gz = gzipSync(bytes, { level: 9 });
  if (br.length < bytes.length) writeFileSync(`${path}.br`, br);
  if (gz.length < bytes.length) writeFileSync(`${path}.gz`, gz);
  files++;
}
console.log(`compress-web: ${files} files in ${dir} have .br and .gz copies where smaller`);
