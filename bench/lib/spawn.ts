import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a full GC on SIGUSR2 and prints process.memoryUsage() after it (every bench server and relay loads it). */
export const GC_PRELOAD = `${ROOT}bench/servers/gc-on-signal.cjs`;

/** The process.memoryUsage() a server printed at its last forced GC (GC_PRELOAD), from its output (lines or raw chunks). */
export function lastMemoryUsage(output: readonly string[]): NodeJS.MemoryUsage | undefined {
  const text = output.join('\n');
  const at = text.lastIndexOf('{"benchMemoryUsage"');
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at);
  try {
    return (JSON.parse(text.slice(at, end < 0 ? undefined : end)) as { benchMemoryUsage: NodeJS.MemoryUsage }).benchMemoryUsage;
  } catch {
    return undefined; // a line still being written
  }
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  port: number;
  /** process.memoryUsage() at the last forced GC (gcAndSettle), if one ran. */
  memoryUsage(): NodeJS.MemoryUsage | undefined;
  stop(): Promise<void>;
}

/** Starts a bench server (`node --expose-gc --require GC_PRELOAD <file>`) and resolves once it prints {"port":N}. */
export async function spawnBenchServer(file: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--expose-gc', '--require', GC_PRELOAD, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${output.join('')}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /\{"port":(\d+)\}/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}:\n${output.join('')}`)));
  });
  return { proc, pid: proc.pid!, port, memoryUsage: () => lastMemoryUsage(output), stop: () => stopChild(proc) };
}

/** SIGTERM, then SIGKILL after 3 s; resolves once the process is gone. */
export function stopChild(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 3000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** Asks a bench server to run a full GC, then lets it settle. */
export async function gcAndSettle(pids: number[], ms = 500): Promise<void> {
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, ms));
}
