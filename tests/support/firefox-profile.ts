import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { scanProfile, type Finding, type Needle } from './profile-scan.js';

/** Decodes one LZ4 block (the format inside Firefox's mozLz4 files), for the residue scan only. */
export function lz4Block(src: Buffer, outLen: number): Buffer {
  const out = Buffer.alloc(outLen);
  let i = 0;
  let o = 0;
  const more = (n: number) => {
    let b: number;
    do {
      b = src[i++]!;
      n += b;
    } while (b === 255);
    return n;
  };
  while (i < src.length) {
    const token = src[i++]!;
    let lit = token >> 4;
    if (lit === 15) lit = more(lit);
    src.copy(out, o, i, i + lit);
    i += lit;
    o += lit;
    if (i >= src.length) break;
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    let len = token & 15;
    if (len === 15) len = more(len);
    len += 4;
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset]!;
  }
  return out.subarray(0, o);
}

const MOZLZ4_MAGIC = Buffer.from('mozLz40\0', 'latin1');

/** Firefox's session store (sessionstore.jsonlz4, recovery.jsonlz4, …) is mozLz4: magic, u32 size, one LZ4 block. */
export function decodeMozLz4(data: Buffer): Buffer | null {
  if (data.length < 12 || !data.subarray(0, 8).equals(MOZLZ4_MAGIC)) return null;
  return lz4Block(data.subarray(12), data.readUInt32LE(8));
}

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

export interface FirefoxScan {
  findings: Finding[];
  files: number;
  bytes: number;
  /** Which of the places the issue names exist in this profile (so an empty finding list means something). */
  /** cache2: how many HTTP cache files (index and entries). */
  present: { places: boolean; sessionstore: boolean; cache2: number };
}

/**
 * The Chromium scan (every byte of every file) plus the compressed session
 * store opened, since a byte search cannot see text inside LZ4. Cache entries
 * in cache2/ are stored raw, places.sqlite and its -wal as SQLite pages.
 */
export function scanFirefoxProfile(dir: string, needles: Needle[]): FirefoxScan {
  const base = scanProfile(dir, needles);
  const findings = [...base.findings];
  let sessionstore = false;
  let places = false;
  for (const f of files(dir)) {
    const rel = relative(dir, f);
    if (/^places\.sqlite/.test(rel)) places = true;
    if (!/lz4$/.test(f)) continue;
    const plain = decodeMozLz4(readFileSync(f));
    if (!plain) continue;
    if (/sessionstore|recovery|previous/.test(rel)) sessionstore = true;
    for (const n of needles) for (const { form, bytes } of n.forms) if (plain.includes(bytes)) findings.push({ needle: n.name, form, file: `${rel} (decompressed)` });
  }
  // The HTTP cache: entries under cache2/entries, raw (already byte-searched above).
  let cache2 = 0;
  for (const f of files(dir)) if (relative(dir, f).startsWith('cache2/')) cache2++;
  return { findings, files: base.files, bytes: base.bytes, present: { places, sessionstore, cache2 } };
}
