import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Needle {
  name: string;
  forms: Array<{ form: string; bytes: Buffer }>;
}
export interface Finding {
  needle: string;
  form: string;
  file: string;
}

/** Every regular file under `dir` (symlinks and sockets skipped). */
function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** Byte-searches every file of a browser profile for every form of every needle. */
export function scanProfile(dir: string, needles: Needle[]): { findings: Finding[]; files: number; bytes: number } {
  const findings: Finding[] = [];
  let count = 0;
  let total = 0;
  for (const f of files(dir)) {
    if (statSync(f).size === 0) continue;
    const data = readFileSync(f);
    count++;
    total += data.length;
    for (const n of needles) {
      for (const { form, bytes } of n.forms) if (data.includes(bytes)) findings.push({ needle: n.name, form, file: relative(dir, f) });
    }
  }
  return { findings, files: count, bytes: total };
}

/** Every match of `pattern` (global) in the profile's files read as bytes (latin1): what an examiner with the profile finds. */
export function grepProfile(dir: string, pattern: RegExp): Array<{ file: string; match: string }> {
  const out: Array<{ file: string; match: string }> = [];
  for (const f of files(dir)) {
    if (statSync(f).size === 0) continue;
    for (const m of readFileSync(f).toString('latin1').matchAll(pattern)) out.push({ file: relative(dir, f), match: m[0] });
  }
  return out;
}
