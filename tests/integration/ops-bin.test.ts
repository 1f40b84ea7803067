import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/relay-process.js';

describe('`npx ghostwire` from a checkout', () => {
  let proc: ChildProcess | undefined;
  afterAll(() => {
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) process.kill(-proc.pid, 'SIGKILL');
  });

  it('starts the relay with the built PWA, prints where to open it, and stops cleanly on SIGTERM', async () => {
    // --no-install: only this package's own bin, never the registry.
    proc = spawn('npx', ['--no-install', 'ghostwire'], { cwd: ROOT, env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Local: {3}http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toContain('Network: not exposed');
    expect(out).toContain('TLS_CERT and TLS_KEY');
    const url = /Local: {3}(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)![1]!;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<link rel="manifest"');
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      // 'close', not 'exit': it waits for the relay (npx's child, which shares the pipes) to end too.
      proc!.once('close', (code, signal) => resolve({ code, signal }));
      // To the whole group, as a terminal's Ctrl+C or `timeout` does: npx does not forward SIGTERM itself.
      process.kill(-proc!.pid!, 'SIGTERM');
    });
    // npx may die of the signal itself; what matters is that the relay drained and exited.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(out).toContain('"msg":"drained"');
  });
});
