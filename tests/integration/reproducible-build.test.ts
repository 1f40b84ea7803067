import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/relay-process.js';

/** Path → SHA-256 of every file under `dir`. */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const abs = join(d, n);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(dir, abs).split(sep).join('/')] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * A clone of the working tree (every file git tracks or would track, so uncommitted work is tested too)
 * in `dir`, with node_modules hard-linked: its own real path, as a fresh `npm ci` would give it.
 */
function cloneTo(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted but not yet staged
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  const ln = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  if (ln.status !== 0) cpSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
}

function build(dir: string, env: Record<string, string>): void {
  const r = spawnSync('npm', ['run', 'build'], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
}

describe('reproducible build', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  it(
    'two clones in directories of different depth, built at different times in different time zones, give byte-identical dist/web and dist/relay',
    async () => {
      const a = mkdtempSync(join(tmpdir(), 'gw-repro-a-'));
      const b = join(mkdtempSync(join(tmpdir(), 'gw-repro-bb-')), 'a', 'much', 'longer', 'path', 'to', 'ghostwire');
      made.push(a, dirname(dirname(dirname(dirname(dirname(b))))));
      mkdirSync(b, { recursive: true });
      cloneTo(a);
      cloneTo(b);
      build(a, { TZ: 'UTC', LANG: 'C' });
      // More than a second later (a second-resolution timestamp would differ), somewhere else on the globe.
      await new Promise((r) => setTimeout(r, 1500));
      build(b, { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8' });

      for (const part of ['dist/web', 'dist/relay']) {
        const ha = hashes(join(a, part));
        const hb = hashes(join(b, part));
        expect(Object.keys(ha).length, part).toBeGreaterThan(part === 'dist/web' ? 10 : 0);
        expect(hb, part).toEqual(ha);
      }
      // Nothing of either build's own directory made it into the output.
      for (const dir of [a, b]) {
        for (const part of ['dist/web', 'dist/relay']) {
          for (const f of Object.keys(hashes(join(dir, part)))) {
            expect(readFileSync(join(dir, part, f)).includes(dir), `${part}/${f} names ${dir}`).toBe(false);
          }
        }
      }
      const manifest = (d: string) => readFileSync(join(d, 'dist/web/.well-known/ghostwire/manifest.json'), 'utf8');
      expect(manifest(b)).toBe(manifest(a));
    },
    // Two full builds on a shared 2-core machine.
    360_000,
  );
});
