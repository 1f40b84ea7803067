import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  HEARTBEAT_INTERVAL_MS,
  JOIN_DEADLINE_MS,
  MAX_SOCKETS_PER_GHOST,
  ROOM_MAX_CAPACITY,
  SLOW_CONSUMER_BYTES,
  WS_RATE_BURST,
  WS_RATE_PER_SECOND,
} from '../../protocol/src/limits.js';
import { SIGNAL_DEFAULT_TTL_SECONDS } from '../../protocol/src/limits.js';
import { POW_BASE_DIFFICULTY } from '../../protocol/src/limits.js';
import type { RedisTarget } from './store/redis-connect.js';

/** The package root, found from this file whether it runs from source or from dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(resolve(dir, 'package.json'));
      return dir;
    } catch {
      dir = resolve(dir, '..');
    }
  }
  return process.cwd();
}

/** Sockets the default cap never exceeds, whatever the descriptor limit: at about 20 KB each, 50,000 idle sockets are 1 GB. */
export const MAX_SOCKETS_CEILING = 50_000;
/** Descriptors kept back from the socket cap for HTTP requests, the Redis connections and files. */
const FD_RESERVE_FRACTION = 0.2;
const FD_RESERVE_MIN = 64;
/** The soft RLIMIT_NOFILE assumed where /proc/self/limits cannot be read (Linux's usual default). */
const FD_LIMIT_FALLBACK = 1024;

/** The process's soft open-files limit, from /proc on Linux; undefined elsewhere or when unlimited. */
export function openFilesLimit(limits = '/proc/self/limits'): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(limits, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The default total-socket cap: the descriptor limit less a reserve, at most MAX_SOCKETS_CEILING, at least 1. */
export function defaultMaxSockets(nofile = openFilesLimit() ?? FD_LIMIT_FALLBACK): number {
  const reserve = Math.max(FD_RESERVE_MIN, Math.ceil(nofile * FD_RESERVE_FRACTION));
  return Math.max(1, Math.min(MAX_SOCKETS_CEILING, nofile - reserve));
}

const ms = (max: number) => z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(1, `must be 1–${max}`).max(max, `must be 1–${max}`);

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** "true"/"false" (and 1/0, yes/no), so a typo is an error rather than a silent false. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

/** Minimum length of every configured secret: 32 characters is 192+ bits from any decent generator. */
export const MIN_SECRET_LENGTH = 32;
const secret = z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`);

/** Every environment variable the relay reads, with its default and meaning (the README table is checked against this). */
export const envSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65535, 'must be 0–65535').default(8080).describe('TCP port to listen on (0 picks a free one).'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface to bind; 127.0.0.1 keeps the relay local.'),
  REDIS_URL: z
    .url('must be a URL such as redis://redis:6379/0')
    .refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://')
    .optional()
    .describe('Use Redis instead of the embedded in-memory store (needed for several instances).'),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((s, ctx) => {
      const nodes = s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(x));
      if (nodes.length === 0 || nodes.some((m) => !m || Number(m[2]) < 1 || Number(m[2]) > 65535)) {
        ctx.addIssue({ code: 'custom', message: 'must be host:port seed nodes separated by commas, such as redis-1:6379,redis-2:6379' });
        return z.NEVER;
      }
      return nodes.map((m) => ({ host: m![1]!.replace(/^\[|\]$/g, ''), port: Number(m![2]) }));
    })
    .optional()
    .describe('Run on a Redis Cluster instead: comma-separated host:port seed nodes (not with REDIS_URL).'),
  REDIS_PASSWORD: z.string().min(1).optional().describe('Password for the REDIS_CLUSTER_NODES (and for REDIS_URL when its URL carries none).'),
  REDIS_PASSWORD_FILE: z.string().optional().describe('File holding REDIS_PASSWORD (Docker secrets).'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]*$/, 'may hold only letters, digits, colon, underscore and dash').default('gw:').describe('Prefix of every Redis key and channel.'),
  ALLOWED_ORIGINS: csv.optional().describe('Comma-separated origins allowed to open /ws; empty means same-origin only.'),
  JOIN_TOKEN_SECRET: secret.optional().describe('HMAC key for join tokens (32+ characters); random per process when unset, so set it when running several instances.'),
  JOIN_TOKEN_SECRET_FILE: z.string().optional().describe('File holding JOIN_TOKEN_SECRET (Docker secrets).'),
  METRICS_TOKEN: secret.optional().describe('When set, /metrics needs `Authorization: Bearer <token>` (32+ characters).'),
  METRICS_TOKEN_FILE: z.string().optional().describe('File holding METRICS_TOKEN (Docker secrets).'),
  TRUST_PROXY: flag.default(false).describe('Set to true behind a TLS-terminating reverse proxy: X-Forwarded-Proto then decides HSTS.'),
  TLS_CERT: z.string().optional().describe('PEM certificate file for built-in HTTPS (with TLS_KEY); for a phone on the LAN.'),
  TLS_KEY: z.string().optional().describe('PEM private key file for built-in HTTPS (with TLS_CERT).'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(0, 'must be 0–60000').max(60_000, 'must be 0–60000').default(5000).describe('On SIGTERM, how long sockets get to close with 1001 before the relay exits anyway.'),
  STATIC_DIR: z.string().optional().describe('Directory of the built PWA; defaults to dist/web in the package.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], { error: 'must be one of debug, info, warn, error, silent' }).default('info').describe('Least severe log level written.'),
  // /ws hardening (issue 4): defaults are the protocol's documented limits.
  WS_RATE_PER_SECOND: z.coerce.number().positive().default(WS_RATE_PER_SECOND).describe('Per-socket token bucket: tokens refilled per second.'),
  WS_RATE_BURST: z.coerce.number().int().min(1).default(WS_RATE_BURST).describe('Per-socket token bucket: largest burst of messages.'),
  WS_MAX_SOCKETS_PER_GHOST: z.coerce.number().int().min(1).default(MAX_SOCKETS_PER_GHOST).describe('Sockets one ghost may hold on this instance.'),
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).default(HEARTBEAT_INTERVAL_MS).describe('Ping interval; a socket silent for one interval after a ping is closed.'),
  WS_SLOW_CONSUMER_BYTES: z.coerce.number().int().min(1024).default(SLOW_CONSUMER_BYTES).describe('Unsent bytes after which a /ws socket is dropped as a slow consumer.'),
  WS_JOIN_DEADLINE_MS: ms(600_000).default(JOIN_DEADLINE_MS).describe('A /ws or /signal socket that has joined nothing this long after opening (or after leaving its last room) is closed with 4412.'),
  ROOM_MAX_CAPACITY: z.coerce
    .number({ error: `must be a number of members, 2–${ROOM_MAX_CAPACITY}` })
    .int(`must be a whole number of members, 2–${ROOM_MAX_CAPACITY}`)
    .min(2, `must be 2–${ROOM_MAX_CAPACITY}`)
    .max(ROOM_MAX_CAPACITY, `must be 2–${ROOM_MAX_CAPACITY} (the protocol's ROOM_MAX_CAPACITY)`)
    .default(ROOM_MAX_CAPACITY)
    .describe('Most members a room on this relay may be created for. A frame costs one write per member, so a member sending at WS_RATE_PER_SECOND costs up to that many writes per second times this.'),
  WS_MAX_SOCKETS: z.coerce.number().int().min(1).optional().describe('Open /ws plus /signal sockets per instance; more upgrades get 503. Default: the open-files limit less 20% (at least 64) kept for HTTP and Redis, at most 50,000.'),
  HTTP_HEADERS_TIMEOUT_MS: ms(120_000).default(10_000).describe('A client must finish sending request headers within this long, or its connection is closed (slowloris).'),
  HTTP_REQUEST_TIMEOUT_MS: ms(600_000).default(30_000).describe('A client must finish sending a whole request (headers and body) within this long.'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(600_000).default(5_000).describe("An idle keep-alive connection is closed after this long (behind a proxy that pools connections, keep it above the proxy's idle timeout)."),
  STUN_URLS: csv
    .pipe(z.array(z.string().regex(/^stuns?:\S+$/, 'each entry must start with stun: or stuns:')))
    .optional()
    .describe('Comma-separated STUN URLs for direct mode (e.g. stun:stun.example.org:3478); empty means host candidates and TURN only.'),
  TURN_URLS: csv
    .pipe(z.array(z.string().regex(/^turns?:\S+$/, 'each entry must start with turn: or turns:')))
    .optional()
    .describe('Comma-separated TURN URLs for direct mode; needs TURN_SECRET.'),
  TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional().describe("Shared secret with the TURN server (coturn's static-auth-secret with use-auth-secret)."),
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600).describe('Life of the TURN credentials GET /api/ice hands out.'),
  SIGNAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(SIGNAL_DEFAULT_TTL_SECONDS)
    .describe('Life of a direct room or a stranger\'s wait on /signal (in memory, or in Redis with several instances); its sockets close after it.'),
  POW_DIFFICULTY: z.coerce.number().int().min(1).max(32).default(POW_BASE_DIFFICULTY).describe('Proof-of-work leading zero bits when calm (16 is "4 hex zeros").'),
  POW_MAX_DIFFICULTY: z.coerce.number().int().min(1).max(40).default(24).describe('Most bits the adaptive difficulty may ask for.'),
  POW_RATE_PER_MINUTE: z.coerce.number().positive().default(30).describe('Ghost and room creations per minute above which difficulty rises (one bit per doubling).'),
});

export interface Config {
  port: number;
  host: string;
  redisUrl: string | undefined;
  /** The Redis to use (REDIS_URL or REDIS_CLUSTER_NODES, with REDIS_PASSWORD); undefined: the embedded store. */
  redis: RedisTarget | undefined;
  redisPrefix: string;
  allowedOrigins: string[];
  joinTokenSecret: Buffer;
  joinTokenSecretGenerated: boolean;
  /** Bearer token guarding /metrics; undefined leaves /metrics open (it is aggregate only). */
  metricsToken: string | undefined;
  trustProxy: boolean;
  /** Built-in HTTPS material, read at start; undefined means plain HTTP. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  shutdownTimeoutMs: number;
  staticDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** /ws hardening knobs (issue 4). */
  ws: WsLimits;
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | undefined;
  turnTtlSeconds: number;
  signalTtlSeconds: number;
  /** Node http.Server timeouts against half-open connections. */
  http: HttpTimeouts;
  pow: { baseDifficulty: number; maxDifficulty: number; ratePerMinute: number };
  /** Most members a room may be created for here (at most the protocol's ROOM_MAX_CAPACITY). */
  roomMaxCapacity: number;
}

/** Socket limits of /ws (and the ones /signal shares); tests lower them to reach them quickly. */
export interface WsLimits {
  ratePerSecond: number;
  rateBurst: number;
  maxSocketsPerGhost: number;
  heartbeatMs: number;
  slowConsumerBytes: number;
  joinDeadlineMs: number;
  /** Open sockets of both routes on this instance. */
  maxSockets: number;
}

export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const invalid = (name: string, what: string) => new ConfigError(`Invalid configuration:\n  ${name}: ${what}`);

function readFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw invalid(name, `cannot read the file ${path}; give a readable path`);
  }
}

/** A secret from NAME or the file named by NAME_FILE (env wins), checked for length. */
function secretFrom(name: string, direct: string | undefined, file: string | undefined): string | undefined {
  if (direct) return direct;
  if (!file) return undefined;
  const value = readFile(`${name}_FILE`, file).toString('utf8').trim();
  if (value.length < MIN_SECRET_LENGTH) throw invalid(`${name}_FILE`, `the secret in ${file} must be at least ${MIN_SECRET_LENGTH} characters`);
  return value;
}

/** Reads the PEM pair now, so a wrong file stops the relay with a sentence instead of a TLS stack trace. */
function readTls(certPath: string, keyPath: string): { cert: Buffer; key: Buffer } {
  const cert = readFile('TLS_CERT', certPath);
  const key = readFile('TLS_KEY', keyPath);
  try {
    new X509Certificate(cert);
  } catch {
    throw invalid('TLS_CERT', `${certPath} is not a PEM certificate`);
  }
  try {
    createPrivateKey(key);
  } catch {
    throw invalid('TLS_KEY', `${keyPath} is not an unencrypted PEM private key`);
  }
  return { cert, key };
}

/** Reads and validates the environment; throws ConfigError naming each bad variable and what it expects. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (FOO= in an .env file) means "unset", as in most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const joinSecret = secretFrom('JOIN_TOKEN_SECRET', e.JOIN_TOKEN_SECRET, e.JOIN_TOKEN_SECRET_FILE);
  if (!e.TLS_CERT !== !e.TLS_KEY) {
    throw invalid(e.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT', 'built-in HTTPS needs both TLS_CERT and TLS_KEY (PEM file paths)');
  }
  if (e.TURN_URLS?.length && !e.TURN_SECRET) {
    throw invalid('TURN_SECRET', 'required when TURN_URLS is set (the TURN server checks credentials made with it)');
  }
  const tls = e.TLS_CERT && e.TLS_KEY ? readTls(e.TLS_CERT, e.TLS_KEY) : undefined;
  if (e.REDIS_URL && e.REDIS_CLUSTER_NODES) throw invalid('REDIS_CLUSTER_NODES', 'set either REDIS_URL (one Redis) or REDIS_CLUSTER_NODES (a Cluster), not both');
  const redisPassword = e.REDIS_PASSWORD ?? (e.REDIS_PASSWORD_FILE ? readFile('REDIS_PASSWORD_FILE', e.REDIS_PASSWORD_FILE).toString('utf8').trim() : undefined);
  const redis: RedisTarget | undefined = e.REDIS_CLUSTER_NODES
    ? { clusterNodes: e.REDIS_CLUSTER_NODES, ...(redisPassword ? { password: redisPassword } : {}) }
    : e.REDIS_URL
      ? { url: e.REDIS_URL, ...(redisPassword ? { password: redisPassword } : {}) }
      : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redis,
    redisPrefix: e.REDIS_PREFIX,
    allowedOrigins: e.ALLOWED_ORIGINS ?? [],
    joinTokenSecret: joinSecret ? Buffer.from(joinSecret, 'utf8') : randomBytes(32),
    joinTokenSecretGenerated: !joinSecret,
    metricsToken: secretFrom('METRICS_TOKEN', e.METRICS_TOKEN, e.METRICS_TOKEN_FILE),
    trustProxy: e.TRUST_PROXY,
    tls,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    staticDir: resolve(e.STATIC_DIR ?? resolve(packageRoot(), 'dist/web')),
    logLevel: e.LOG_LEVEL,
    ws: {
      ratePerSecond: e.WS_RATE_PER_SECOND,
      rateBurst: e.WS_RATE_BURST,
      maxSocketsPerGhost: e.WS_MAX_SOCKETS_PER_GHOST,
      heartbeatMs: e.WS_HEARTBEAT_MS,
      slowConsumerBytes: e.WS_SLOW_CONSUMER_BYTES,
      joinDeadlineMs: e.WS_JOIN_DEADLINE_MS,
      maxSockets: e.WS_MAX_SOCKETS ?? defaultMaxSockets(),
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      // Node requires requestTimeout >= headersTimeout; a smaller one would be refused at start.
      requestTimeoutMs: Math.max(e.HTTP_REQUEST_TIMEOUT_MS, e.HTTP_HEADERS_TIMEOUT_MS),
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    stunUrls: e.STUN_URLS ?? [],
    turnUrls: e.TURN_URLS ?? [],
    turnSecret: e.TURN_SECRET,
    turnTtlSeconds: e.TURN_TTL_SECONDS,
    signalTtlSeconds: e.SIGNAL_TTL_SECONDS,
    pow: { baseDifficulty: e.POW_DIFFICULTY, maxDifficulty: Math.max(e.POW_DIFFICULTY, e.POW_MAX_DIFFICULTY), ratePerMinute: e.POW_RATE_PER_MINUTE },
    roomMaxCapacity: e.ROOM_MAX_CAPACITY,
  };
}
