import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RELAY_MAIN = `${ROOT}dist/relay/main.js`;

export interface RelayProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Every line the relay wrote, stdout and stderr. */
  output: string[];
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** The relay's resident set size now, in bytes (/proc/<pid>/status VmRSS; Linux only). */
  rss(): number;
}

/**
 * Starts the built relay (`node dist/relay/main.js`, the production start
 * path) on a free port and resolves once it logs that it is listening.
 */
export async function startRelayProcess(env: Record<string, string> = {}, opts: { root?: string; nodeArgs?: string[] } = {}): Promise<RelayProcess> {
  // `root`: a directory laid out like the container's /app (package.json, node_modules, dist/).
  // `nodeArgs`: flags for `node` itself, before the script (V8 trace flags, which NODE_OPTIONS refuses).
  const root = opts.root ?? ROOT;
  const main = `${root.replace(/\/?$/, '/')}dist/relay/main.js`;
  if (!existsSync(main)) throw new Error('dist/relay/main.js is missing: run `npm run build` first (npm test does).');
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'dist/relay/main.js'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output.join('\n')}`)), 15_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number };
          if (j.msg === 'listening' && j.port) {
            clearTimeout(timer);
            resolve(j.port);
          }
        } catch {
          // Human-readable banner lines are not JSON.
        }
      }
    };
    proc.stdout.on('data', onLine);
    proc.stderr.on('data', onLine);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<number | null>((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill(signal);
    });
  const scheme = env.TLS_CERT ? 'https' : 'http';
  const rss = () => {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
    if (!m) throw new Error('no VmRSS line in /proc/<pid>/status');
    return Number(m[1]) * 1024;
  };
  return { url: `${scheme}://127.0.0.1:${port}`, port, proc, output, stop, rss };
}
