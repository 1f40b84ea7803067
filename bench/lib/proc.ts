import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds a process has used so far (/proc/<pid>/stat utime + stime). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
}

/** Sum of cpuSeconds over several processes (two relays and their Redis count together). */
export const totalCpu = (pids: number[]): number => pids.reduce((s, p) => s + cpuSeconds(p), 0);

/**
 * Waits until the processes use at most `maxCores` over a window of `windowMs` (what a previous scenario
 * left: thousands of closes and leaves, GC), or `timeoutMs` passes, so the next scenario's CPU and latency
 * are its own. CPU time is read in clock ticks (10 ms), so the default allows at most one tick per window.
 */
export async function untilQuiet(pids: number[], { windowMs = 500, maxCores = 0.02, timeoutMs = 20_000 } = {}): Promise<{ waitedMs: number; quiet: boolean }> {
  const start = Date.now();
  let before = totalCpu(pids);
  for (;;) {
    await new Promise((r) => setTimeout(r, windowMs));
    const now = totalCpu(pids);
    if (now - before <= maxCores * (windowMs / 1000)) return { waitedMs: Date.now() - start, quiet: true };
    if (Date.now() - start >= timeoutMs) return { waitedMs: Date.now() - start, quiet: false };
    before = now;
  }
}

/** Resident set size of a process in bytes (/proc/<pid>/status VmRSS). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export const totalRss = (pids: number[]): number => pids.reduce((s, p) => s + rssBytes(p), 0);

/** This process's soft limit on open files (Node cannot raise it; `ulimit -n` before the run can). */
export function openFileLimit(): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

/**
 * Cores this process may use, read once at load, before any pin: `availableParallelism()` reads the
 * calling thread's own affinity, so after `pin(process.pid, …)` it says 1.
 */
const CORES_AT_START = availableParallelism();

/** Which cores the servers and the load generator get; null when there is nothing to pin to. */
export function pinPlan(): { loadgen: number; servers: number } | null {
  if (CORES_AT_START < 2) return null;
  if (spawnSync('taskset', ['--version']).status !== 0) return null;
  return { loadgen: 0, servers: 1 };
}

/**
 * Pins every thread of a running process to one core with taskset; false if that failed. Every
 * thread (`-a`): without it only the main thread moved, and a server's GC and compiler threads,
 * started before the pin, ran on the load generator's core.
 */
export function pin(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** Lets every thread of a running process use every core again (after pin); false if that failed. */
export function unpin(pid: number): boolean {
  // Not availableParallelism() here: once pinned it returns 1 and this would pin to core 0 again
  // (the full run's browser saw one core and ran PoW on one worker until this was found).
  return spawnSync('taskset', ['-a', '-cp', `0-${CORES_AT_START - 1}`, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The machine, as BENCHMARKS.md records it. */
export function machine(): Record<string, string | number> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args).stdout.toString().trim();
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    nproc: CORES_AT_START,
    memory: run('free', ['-h']).split('\n')[1]?.replace(/\s+/g, ' ') ?? '',
    node: process.version,
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    openFileLimit: openFileLimit(),
  };
}
