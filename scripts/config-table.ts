// Regenerates the configuration table in README.md from relay/src/config.ts
// (`npm run docs:config`); relay/src/config-table.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../relay/src/config-table.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withConfigTable(before);
writeFileSync(path, after);
console.log(before === after ? 'README.md configuration table already up to date' : 'README.md configuration table regenerated');
