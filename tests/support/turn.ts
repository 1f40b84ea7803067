import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missing } from './need.js';
import { freePort } from './ports.js';
import { ROOT } from './relay-process.js';

/** The coturn config operators are told to use (docs/self-hosting.md); the tests run this very file. */
export const TURN_CONF = join(ROOT, 'deploy/turnserver.conf');

/** Debian's coturn binary, or GHOSTWIRE_TURNSERVER. */
export const turnserverPath = (): string => process.env.GHOSTWIRE_TURNSERVER ?? '/usr/bin/turnserver';

/** True if coturn is installed; false with a loud message (a throw under CI=true) if not. */
export function turnserverAvailable(): boolean {
  if (existsSync(turnserverPath())) return true;
  return missing(`coturn (turnserver at ${turnserverPath()})`, 'Install it (apt-get install -y coturn) or set GHOSTWIRE_TURNSERVER.');
}

export interface TurnFixture {
  port: number;
  /** coturn's relay endpoints come from [minPort, maxPort]. */
  minPort: number;
  maxPort: number;
  /** TURN_URLS for the relay. */
  urls: string;
  secret: string;
  /** The config file coturn was started with (the documented one with the test's substitutions). */
  config: string;
  output: string[];
  stop(): Promise<void>;
}

/**
 * How a test's coturn treats 127.0.0.1 as a peer: 'allowed' (two browsers on
 * this machine can meet through it), 'denied-by-config' (only the documented
 * denied-peer-ip lines stand in the way), 'denied-by-default' (the file as is).
 */
export type TurnLoopback = 'allowed' | 'denied-by-config' | 'denied-by-default';

/**
 * The documented config with only what a test on one machine must change: free
 * ports, 127.0.0.1 for listening and relaying, the secret, a private pid file
 * and database, and the TEST-ONLY loopback allowance (see TurnLoopback): both
 * browsers are on this machine, so each is a loopback peer of the other's
 * relay address, which the documented config rightly denies.
 */
export function testTurnConfig(opts: { port: number; minPort: number; secret: string; dir: string; loopback: TurnLoopback }): string {
  const lines = readFileSync(TURN_CONF, 'utf8').split('\n');
  const replace = (key: string, value: string) => {
    const i = lines.findIndex((l) => l.startsWith(`${key}=`));
    if (i < 0) throw new Error(`${TURN_CONF} has no ${key}= line`);
    lines[i] = `${key}=${value}`;
  };
  replace('listening-port', String(opts.port));
  replace('min-port', String(opts.minPort));
  replace('max-port', String(opts.minPort + RELAY_PORTS - 1));
  replace('static-auth-secret', opts.secret);
  lines.push('listening-ip=127.0.0.1', 'relay-ip=127.0.0.1', `pidfile=${join(opts.dir, 'turnserver.pid')}`, `userdb=${join(opts.dir, 'turndb')}`);
  // Logs go to the test's output (peer addresses here are all 127.0.0.1); the documented config logs nothing.
  replace('log-file', 'stdout');
  const quiet = lines.indexOf('no-stdout-log');
  if (quiet >= 0) lines.splice(quiet, 1);
  // TEST-ONLY. Without allow-loopback-peers coturn refuses loopback peers on its own, before
  // the config's denied-peer-ip lines are even read; with it, only those lines refuse them.
  if (opts.loopback !== 'denied-by-default') lines.push('allow-loopback-peers');
  // TEST-ONLY. coturn checks allowed-peer-ip before denied-peer-ip, so this one address passes.
  if (opts.loopback === 'allowed') lines.push('allowed-peer-ip=127.0.0.1');
  return lines.join('\n') + '\n';
}

/** How many relay ports a test's coturn gets (a few direct sessions' worth). */
const RELAY_PORTS = 40;

/** A STUN Binding request (RFC 5389 §6): the cheapest "is it answering" probe. */
function stunAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0);
    req.writeUInt16BE(0, 2);
    req.writeUInt32BE(0x2112a442, 4);
    randomBytes(12).copy(req, 8);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('message', (m) => done(m.length >= 20 && m.readUInt16BE(0) === 0x0101 && m.subarray(8, 20).equals(req.subarray(8, 20))));
    sock.on('error', () => done(false));
    sock.send(req, port, '127.0.0.1');
  });
}

/** A free UDP port range of `n` for coturn's relay endpoints (best effort: probed, then handed over). */
async function freeRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const socks = [];
    let ok = true;
    for (let p = base; p < base + n && ok; p++) {
      const s = createSocket('udp4');
      ok = await new Promise<boolean>((r) => {
        s.once('error', () => r(false));
        s.bind(p, '127.0.0.1', () => r(true));
      });
      socks.push(s);
    }
    for (const s of socks) s.close();
    if (ok) return base;
  }
  throw new Error('no free UDP port range for coturn');
}

/** Starts Debian's turnserver with the documented config (see testTurnConfig) and waits until it answers STUN. */
export async function startTurn(opts: { secret?: string; loopback?: TurnLoopback } = {}): Promise<TurnFixture> {
  const secret = opts.secret ?? randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'gw-turn-'));
  const port = await freePort();
  const minPort = await freeRange(RELAY_PORTS);
  const config = testTurnConfig({ port, minPort, secret, dir, loopback: opts.loopback ?? 'allowed' });
  const file = join(dir, 'turnserver.conf');
  writeFileSync(file, config, { mode: 0o600 });
  const proc: ChildProcess = spawn(turnserverPath(), ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 15_000;
  while (!(await stunAnswers(port, 300))) {
    if (proc.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`turnserver did not answer STUN on ${port}:\n${output.slice(-30).join('\n')}`);
    }
  }
  return { port, minPort, maxPort: minPort + RELAY_PORTS - 1, urls: `turn:127.0.0.1:${port}?transport=udp`, secret, config, output, stop };
}
