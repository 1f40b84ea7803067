import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configRows, configTable, withConfigTable } from './config-table.js';
import { envSchema } from './config.js';

describe('the README configuration table', () => {
  it('matches relay/src/config.ts (run `npm run docs:config` to regenerate)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configTable());
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('documents every variable the schema reads, with its default', () => {
    const rows = configRows();
    expect(rows.map((r) => r.name)).toEqual(Object.keys(envSchema.shape));
    expect(rows.find((r) => r.name === 'PORT')?.fallback).toBe('8080');
    expect(rows.find((r) => r.name === 'REDIS_URL')?.fallback).toBeUndefined();
  });

  it('notices a drifted table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const drifted = readme.replace('| `PORT` | `8080` |', '| `PORT` | `80` |');
    expect(drifted).not.toBe(readme);
    expect(drifted).not.toContain(configTable());
  });
});
