import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { untilQuiet } from './proc.js';

// The full run pins the load generator to one core, then unpins before it starts Chromium for the
// client part. If unpin left one core, the browser's PoW ran on one worker and Lighthouse saw a
// one-core phone: the figures were wrong without any error. A child process runs pin → unpin on
// itself and reports the cores it may use afterwards.
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const cores = availableParallelism();

describe('bench pinning', () => {
  it.skipIf(!hasTaskset || cores < 2)('pin holds every thread of a process to the core, and unpin gives them all back', () => {
    if (!hasTaskset || cores < 2) console.warn('SKIPPED: needs taskset and two cores');
    const proc = fileURLToPath(new URL('./proc.ts', import.meta.url));
    const script = `
      import { pin, unpin } from ${JSON.stringify(proc)};
      import { availableParallelism } from 'node:os';
      import { readdirSync, readFileSync } from 'node:fs';
      // Cpus_allowed_list of every thread of this process (V8's and libuv's threads started before the pin).
      const threads = () => readdirSync('/proc/self/task').map((t) => /Cpus_allowed_list:\\s*(\\S+)/.exec(readFileSync('/proc/self/task/' + t + '/status', 'utf8'))[1]);
      pin(process.pid, 0);
      const pinned = availableParallelism();
      const pinnedThreads = threads();
      unpin(process.pid);
      console.log(JSON.stringify({ pinned, pinnedThreads, unpinned: availableParallelism(), unpinnedThreads: threads() }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim()) as { pinned: number; pinnedThreads: string[]; unpinned: number; unpinnedThreads: string[] };
    expect(out.pinned).toBe(1);
    expect(out.pinnedThreads.length).toBeGreaterThan(1);
    expect(new Set(out.pinnedThreads)).toEqual(new Set(['0']));
    expect(out.unpinned).toBe(cores);
    expect(new Set(out.unpinnedThreads)).toEqual(new Set([`0-${cores - 1}`]));
  });
});

describe('untilQuiet', () => {
  it('returns only once a busy process has stopped working, and at once for an idle one', async () => {
    // A child that keeps a core busy for a while, says so when it stops, then sleeps: untilQuiet must
    // not resolve before that line (an order, not a duration, is what is asserted).
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 1500; while (Date.now() < end); console.log("stopped"); setTimeout(() => {}, 60000);'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let stopped = false;
      child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('stopped')) stopped = true; });
      await new Promise((r) => setTimeout(r, 200));
      const busy = await untilQuiet([child.pid!], { windowMs: 300 });
      expect(busy.quiet).toBe(true);
      expect(stopped).toBe(true);
      const idle = await untilQuiet([child.pid!], { windowMs: 300 });
      expect(idle.quiet).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
