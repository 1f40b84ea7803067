// Bundles the relay's TypeScript (and the protocol it imports) into one ESM
// file for `node dist/relay/main.js`; npm packages stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['relay/src/main.ts'],
  outfile: 'dist/relay/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('relay bundled to dist/relay/main.js');
