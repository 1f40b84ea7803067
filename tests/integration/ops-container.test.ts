import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../relay/src/config.js';
import { execForm, parseDockerfile, type Instruction } from '../support/dockerfile.js';
import { missing } from '../support/need.js';
import { freePort } from '../support/ports.js';
import { ROOT, startRelayProcess, type RelayProcess } from '../support/relay-process.js';

const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
const instructions = parseDockerfile(dockerfile);
const lastStage = Math.max(...instructions.map((i) => i.stage));
const runtime = instructions.filter((i) => i.stage === lastStage);
const one = (list: Instruction[], op: string) => {
  const found = list.filter((i) => i.op === op);
  expect(found, `exactly one ${op}`).toHaveLength(1);
  return found[0]!;
};
const healthcheckArgv = () => execForm(one(runtime, 'HEALTHCHECK').args);
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('Dockerfile', () => {
  it('builds in stages and runs a slim runtime stage as a non-root user', () => {
    const froms = instructions.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const user = one(runtime, 'USER').args;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // The runtime stage runs nothing at build time (no npm, no apt): it only copies.
    expect(runtime.filter((i) => i.op === 'RUN')).toEqual([]);
    expect(instructions.some((i) => i.op === 'ADD')).toBe(false);
  });

  it('gives the runtime only production dependencies, package.json and dist/', () => {
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    const nodeModules = copies.find((c) => c.includes('node_modules'));
    expect(nodeModules).toBeDefined();
    const from = /--from=(\S+)/.exec(nodeModules!)?.[1];
    const depsStage = instructions.find((i) => i.op === 'FROM' && new RegExp(`\\bAS ${from}$`, 'i').test(i.args))!.stage;
    const install = instructions.filter((i) => i.stage === depsStage && i.op === 'RUN').map((i) => i.args);
    expect(install).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    const targets = copies.map((c) => c.split(/\s+/).at(-1));
    expect(targets.sort()).toEqual(['./dist', './node_modules', './package.json']);
  });

  it('starts the relay the way the tests do, listens on one port, and drains on SIGTERM', () => {
    expect(execForm(one(runtime, 'CMD').args)).toEqual(['node', 'dist/relay/main.js']);
    const env = one(runtime, 'ENV').args;
    const port = /\bPORT=(\d+)/.exec(env)?.[1];
    expect(one(runtime, 'EXPOSE').args).toBe(port);
    expect(/\bHOST=0\.0\.0\.0\b/.test(env)).toBe(true);
    expect(one(runtime, 'STOPSIGNAL').args).toBe('SIGTERM');
    expect(readFileSync(`${ROOT}dist/relay/main.js`, 'utf8')).toMatch(/process\.once\("SIGTERM"/);
  });

  it('health-checks liveness (/live), not readiness', () => {
    const hc = one(runtime, 'HEALTHCHECK').args;
    expect(hc).toMatch(/--interval=\d+s/);
    expect(hc).toMatch(/--timeout=\d+s/);
    expect(healthcheckArgv().join(' ')).toContain("path:'/live'");
  });

  it('keeps secrets, build output and dependencies out of the build context', () => {
    const ignore = readFileSync(`${ROOT}.dockerignore`, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const p of ['.git', 'node_modules', 'dist', '.env', '.env.*']) expect(ignore).toContain(p);
    // ...but not what the build stage needs.
    for (const p of ['package.json', 'package-lock.json', 'protocol', 'relay', 'web', 'sw', 'scripts', 'vite.config.ts', 'uno.config.ts', 'tsconfig.json']) {
      expect(ignore, p).not.toContain(p);
    }
  });
});

describe('the relay bundle imports only production dependencies', () => {
  it('every package dist/relay/main.js imports is in "dependencies"', () => {
    const code = readFileSync(`${ROOT}dist/relay/main.js`, 'utf8');
    // A package specifier (npm's name rules), so a template string such as
    // `"from":${...}` in the bundle is not read as an import.
    const specifiers = new Set<string>();
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*|node:[\w/]+)["']/g)) specifiers.add(m[1]!);
    const packages = [...specifiers].filter((s) => !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
    expect(packages.length).toBeGreaterThan(3);
    for (const p of new Set(packages)) {
      expect(pkg.dependencies[p], `${p} is imported by the relay but is not a production dependency`).toBeDefined();
    }
  });
});

describe('the image HEALTHCHECK command, run outside Docker', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  const probe = (port: number) => spawnSync(healthcheckArgv()[0] === 'node' ? process.execPath : healthcheckArgv()[0]!, healthcheckArgv().slice(1), { env: { PATH: process.env.PATH, PORT: String(port) }, timeout: 10_000 });

  it('passes against a live relay and fails when nothing listens', async () => {
    expect(probe(relay.port).status).toBe(0);
    expect(probe(await freePort()).status).toBe(1);
  });
});

type Service = {
  image?: string;
  entrypoint?: string[];
  build?: unknown;
  ports?: string[];
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  read_only?: boolean;
  tmpfs?: string[];
  volumes?: string[];
  profiles?: string[];
  stop_grace_period?: string;
};
const composeText = readFileSync(`${ROOT}compose.yaml`, 'utf8');
const compose = parse(composeText) as { services: Record<string, Service> };

/** The value following `flag` in a redis-server argv. */
const flagValue = (argv: string[], flag: string) => {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
};

describe('compose.yaml', () => {
  const { relay, redis, proxy, coturn } = compose.services;

  it('has the relay, Redis, a proxy, and coturn behind a profile', () => {
    expect(relay?.build).toBeDefined();
    expect(redis?.image).toMatch(/^redis:/);
    expect(proxy?.image).toMatch(/^caddy:/);
    expect(coturn?.profiles).toEqual(['turn']);
  });

  it('runs Redis without persistence, with a memory cap that refuses writes rather than evicting, protected and unpublished', () => {
    const argv = redis!.command!;
    expect(argv[0]).toBe('redis-server');
    expect(flagValue(argv, '--save')).toBe('');
    expect(flagValue(argv, '--appendonly')).toBe('no');
    expect(flagValue(argv, '--maxmemory')).toMatch(/^\d+[kmg]b$/);
    expect(flagValue(argv, '--maxmemory-policy')).toBe('noeviction');
    expect(flagValue(argv, '--protected-mode')).toBe('yes');
    expect(flagValue(argv, '--requirepass')).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(redis!.ports).toBeUndefined();
    expect(redis!.volumes).toBeUndefined();
    expect(redis!.tmpfs).toContain('/data');
    expect(redis!.healthcheck?.test.join(' ')).toContain('redis-cli ping');
  });

  it('lets the relay scale: only the proxy publishes ports, and the proxy reaches every replica', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports && !s.profiles).map(([n]) => n);
    expect(published).toEqual(['proxy']);
    // Never an empty site address: Caddy would not fall back to its own default for a set-but-empty variable.
    expect(proxy!.environment!.GHOSTWIRE_SITE).toBe('${GHOSTWIRE_SITE:-:80}');
    const caddyfile = readFileSync(`${ROOT}deploy/Caddyfile`, 'utf8');
    expect(caddyfile).toMatch(/dynamic a \{\s*name relay\s*port 8080/);
    expect(caddyfile).not.toMatch(/^\s*log\b/m);
  });

  it('runs the relay read-only, health-checked like the image, with a stop grace above its drain budget', () => {
    expect(relay!.read_only).toBe(true);
    expect(relay!.tmpfs?.some((t) => t.startsWith('/tmp'))).toBe(true);
    expect(relay!.healthcheck?.test).toEqual(['CMD', ...healthcheckArgv()]);
    const grace = Number(/^(\d+)s$/.exec(relay!.stop_grace_period ?? '')?.[1]) * 1000;
    expect(grace).toBeGreaterThan(Number(relay!.environment!.SHUTDOWN_TIMEOUT_MS) + 3000);
  });

  it('configures the relay with variables it knows, Redis with the same password, one join secret for all replicas', () => {
    const env = relay!.environment!;
    const known = new Set(Object.keys(envSchema.shape));
    for (const name of Object.keys(env)) expect(known.has(name), `${name} is not a relay variable`).toBe(true);
    expect(env.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379\/0$/);
    expect(env.JOIN_TOKEN_SECRET).toMatch(/^\$\{JOIN_TOKEN_SECRET:\?/);
    expect(env.TRUST_PROXY).toBe('true');
    expect(env.TURN_SECRET).toMatch(/^\$\{TURN_SECRET\b/);
    expect(coturn!.environment!.TURN_SECRET).toBe(env.TURN_SECRET);
  });

  it("starts coturn only with a real shared secret, authenticating with it, closed to private networks and silent", () => {
    // The entrypoint script as the container's sh would get it ($$ is Compose's escape for $), turnserver swapped for echo.
    const script = coturn!.command![0]!.replaceAll('$$', '$').replace('exec turnserver', 'exec echo turnserver');
    expect(coturn!.entrypoint).toEqual(['/bin/sh', '-c']);
    const run = (env: Record<string, string>) => spawnSync('/bin/sh', ['-c', script], { env: { PATH: process.env.PATH, TURN_REALM: 'ghostwire', ...env }, encoding: 'utf8' });
    expect(run({ TURN_SECRET: '', TURN_EXTERNAL_IP: '198.51.100.4' }).status).toBe(78);
    expect(run({ TURN_SECRET: 'short', TURN_EXTERNAL_IP: '198.51.100.4' }).status).toBe(78);
    expect(run({ TURN_SECRET: 't'.repeat(40), TURN_EXTERNAL_IP: '' }).stderr).toContain('set TURN_SECRET (32+ characters) and TURN_EXTERNAL_IP');
    const ok = run({ TURN_SECRET: 't'.repeat(40), TURN_EXTERNAL_IP: '198.51.100.4' });
    expect(ok.status).toBe(0);
    const argv = ok.stdout.trim().split(/\s+/);
    expect(argv[0]).toBe('turnserver');
    for (const flag of ['--use-auth-secret', `--static-auth-secret=${'t'.repeat(40)}`, '--external-ip=198.51.100.4', '--no-multicast-peers', '--log-file=/dev/null', '--no-stdout-log', '--denied-peer-ip=10.0.0.0-10.255.255.255', '--denied-peer-ip=192.168.0.0-192.168.255.255', '--denied-peer-ip=127.0.0.0-127.255.255.255']) {
      expect(argv).toContain(flag);
    }
    // The relay range coturn uses is the one compose publishes.
    expect(coturn!.ports).toContain('49160-49259:49160-49259/udp');
    expect(argv).toEqual(expect.arrayContaining(['--min-port=49160', '--max-port=49259']));
  });

  it('comments every environment variable where it is set', () => {
    expect(uncommentedEnv(composeText)).toEqual([]);
    // The check can fail: drop the comment above REDIS_URL.
    expect(uncommentedEnv(composeText.replace(/(?:\n[ \t]*#[^\n]*)+\n([ \t]*REDIS_URL:)/, '\n$1'))).toEqual(['REDIS_URL']);
  });
});

/** Names of variables in `environment:` blocks with no comment line directly above them. */
function uncommentedEnv(text: string): string[] {
  const bad: string[] = [];
  const lines = text.split('\n');
  let envIndent = -1;
  for (const [i, line] of lines.entries()) {
    const indent = line.search(/\S/);
    if (/^\s*environment:\s*$/.test(line)) {
      envIndent = indent;
      continue;
    }
    if (indent >= 0 && indent <= envIndent && !line.trimStart().startsWith('#')) envIndent = -1;
    if (envIndent < 0 || !/^\s*[A-Z_]+:/.test(line)) continue;
    if (!/^\s*#/.test(lines[i - 1] ?? '')) bad.push(line.trim().split(':')[0]!);
  }
  return bad;
}

describe("compose.yaml's Redis flags on a real redis-server", () => {
  let server: ChildProcess | undefined;
  let url = '';
  const password = randomBytes(32).toString('hex');
  const haveRedis = spawnSync(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--version']).status === 0 || missing('redis-server', 'Install it (apt-get install -y redis-server).');

  beforeAll(async () => {
    if (!haveRedis) return;
    const argv = compose.services.redis!.command!.slice(1).map((a) => (a.startsWith('${REDIS_PASSWORD') ? password : a));
    const port = await freePort();
    // The compose flags as written, plus only what keeps this test local (port, loopback bind).
    server = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', [...argv, '--port', String(port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    url = `redis://:${password}@127.0.0.1:${port}/0`;
  });
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it.skipIf(!haveRedis)('are accepted, take effect, require the password, and the relay connects through REDIS_URL with it', async () => {
    const client = new Redis(url, { retryStrategy: (n) => (n > 50 ? null : 100) });
    client.on('error', () => undefined);
    await expect.poll(() => client.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
    try {
      const config = async (name: string) => ((await client.config('GET', name)) as string[])[1];
      expect(await config('save')).toBe('');
      expect(await config('appendonly')).toBe('no');
      expect(await config('maxmemory-policy')).toBe('noeviction');
      expect(Number(await config('maxmemory'))).toBe(256 * 1024 * 1024);
      expect(await config('protected-mode')).toBe('yes');
      const anonymous = new Redis(url.replace(`:${password}@`, ''), { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      anonymous.on('error', () => undefined);
      await anonymous.connect().catch(() => undefined);
      await expect(anonymous.get('x')).rejects.toThrow(/NOAUTH/);
      anonymous.disconnect();
    } finally {
      client.disconnect();
    }
    const relay = await startRelayProcess({ REDIS_URL: url, JOIN_TOKEN_SECRET: 'j'.repeat(40) });
    try {
      const ready = await fetch(`${relay.url}/ready`);
      expect(ready.status).toBe(200);
      expect(relay.output.join('\n')).not.toContain(password);
    } finally {
      await relay.stop();
    }
  });
});
