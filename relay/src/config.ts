import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { POW_BASE_DIFFICULTY } from '../../protocol/src/limits.js';

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

const csv = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Every environment variable the relay reads, with its default and meaning (the README table is checked against this). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('TCP port to listen on (0 picks a free one).'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface to bind; 127.0.0.1 keeps the relay local.'),
  REDIS_URL: z
    .string()
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://')
    .optional()
    .describe('Use Redis instead of the embedded in-memory store (needed for several instances).'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]*$/).default('gw:').describe('Prefix of every Redis key and channel.'),
  ALLOWED_ORIGINS: csv.optional().describe('Comma-separated origins allowed to open /ws; empty means same-origin only.'),
  JOIN_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional().describe('HMAC key for join tokens; random per process when unset.'),
  JOIN_TOKEN_SECRET_FILE: z.string().optional().describe('File holding JOIN_TOKEN_SECRET (Docker secrets).'),
  STATIC_DIR: z.string().optional().describe('Directory of the built PWA; defaults to dist/web in the package.'),
  POW_DIFFICULTY: z.coerce.number().int().min(1).max(32).default(POW_BASE_DIFFICULTY).describe('Proof-of-work leading zero bits when calm (16 is "4 hex zeros").'),
  POW_MAX_DIFFICULTY: z.coerce.number().int().min(1).max(40).default(24).describe('Most bits the adaptive difficulty may ask for.'),
  POW_RATE_PER_MINUTE: z.coerce.number().positive().default(30).describe('Ghost and room creations per minute above which difficulty rises (one bit per doubling).'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info').describe('Least severe log level written.'),
});

export interface Config {
  port: number;
  host: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  allowedOrigins: string[];
  joinTokenSecret: Buffer;
  joinTokenSecretGenerated: boolean;
  staticDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  pow: { baseDifficulty: number; maxDifficulty: number; ratePerMinute: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let secret = e.JOIN_TOKEN_SECRET;
  if (!secret && e.JOIN_TOKEN_SECRET_FILE) {
    try {
      secret = readFileSync(e.JOIN_TOKEN_SECRET_FILE, 'utf8').trim();
    } catch {
      throw new ConfigError(`Invalid configuration:\n  JOIN_TOKEN_SECRET_FILE: cannot read ${e.JOIN_TOKEN_SECRET_FILE}`);
    }
    if (secret.length < 32) throw new ConfigError('Invalid configuration:\n  JOIN_TOKEN_SECRET_FILE: the secret must be at least 32 characters');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    allowedOrigins: e.ALLOWED_ORIGINS ?? [],
    joinTokenSecret: secret ? Buffer.from(secret, 'utf8') : randomBytes(32),
    joinTokenSecretGenerated: !secret,
    staticDir: resolve(e.STATIC_DIR ?? resolve(packageRoot(), 'dist/web')),
    logLevel: e.LOG_LEVEL,
    pow: { baseDifficulty: e.POW_DIFFICULTY, maxDifficulty: Math.max(e.POW_DIFFICULTY, e.POW_MAX_DIFFICULTY), ratePerMinute: e.POW_RATE_PER_MINUTE },
  };
}
