// Regenerates the generated blocks of protocol/README.md from the zod schemas,
// HTTP_API, codes.ts and limits.ts (`npm run docs`). The hand-written prose
// between the blocks is kept; protocol/doc/render.test.ts fails when the
// committed README differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { README, renderReadme } from '../protocol/doc/render.js';

const current = readFileSync(README, 'utf8');
const next = await renderReadme(current);
if (next === current) {
  console.log('protocol/README.md is up to date');
} else {
  writeFileSync(README, next);
  console.log('protocol/README.md regenerated');
}
