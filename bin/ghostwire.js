#!/usr/bin/env node
// `npx ghostwire`: starts the relay with the built PWA (run `npm run build` first from a checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/relay/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('ghostwire: the relay is not built. Run `npm run build` in the package first.\n');
  process.exit(1);
}
await import(main);
