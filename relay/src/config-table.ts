import type { z } from 'zod';
import { envSchema } from './config.js';

/** Markers around the generated table in README.md. */
export const TABLE_START = '<!-- config-table:start (generated from relay/src/config.ts by `npm run docs:config`) -->';
export const TABLE_END = '<!-- config-table:end -->';

interface Row {
  name: string;
  fallback: string | undefined;
  meaning: string;
}

/** One row per envSchema key: its default (if any) and its description. */
export function configRows(): Row[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const s = schema as z.ZodType;
    const def = s.def as { type: string; defaultValue?: unknown };
    const fallback = def.type === 'default' ? String(def.defaultValue) : undefined;
    if (!s.description) throw new Error(`${name} in envSchema has no .describe(): every variable is documented`);
    return { name, fallback, meaning: s.description };
  });
}

/** The README's configuration table, with its markers. */
export function configTable(): string {
  const rows = configRows().map((r) => `| \`${r.name}\` | ${r.fallback === undefined ? '—' : `\`${r.fallback}\``} | ${r.meaning.replaceAll('|', '\\|')} |`);
  return [TABLE_START, '| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows, TABLE_END].join('\n');
}

/** Replaces the table between the markers in `readme`; throws if the markers are missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-table markers');
  return readme.slice(0, start) + configTable() + readme.slice(end + TABLE_END.length);
}
