import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { GHOST_SESSION_TTL_SECONDS } from '../../../protocol/src/limits.js';
import type { Deps } from '../deps.js';
import { RelayError } from '../errors.js';
import type { BucketSpec, GhostSession } from '../store/store.js';
import { parseSessionToken } from './session.js';

export type GhostEnv = { Variables: { ghost: GhostSession } };

const unauthorized = () =>
  new RelayError(401, ErrorCode.Unauthorized, 'Your ghost session has ended or its token is wrong. Reload the page to start a new ghost.');

/** Checks a session token and slides the ghost's session (activity); throws 401 if there is no such live ghost. */
export async function authenticate(deps: Deps, token: string | undefined): Promise<GhostSession> {
  const parsed = token ? parseSessionToken(token) : null;
  if (!parsed) throw unauthorized();
  const ghost = await deps.store.touchGhost(parsed.id, deps.now(), GHOST_SESSION_TTL_SECONDS * 1000, parsed.tokenHash);
  if (!ghost) throw unauthorized();
  return ghost;
}

/** Requires `Authorization: Bearer <session token>`; puts the ghost in `c.var.ghost`. */
export function requireGhost(deps: Deps): MiddlewareHandler<GhostEnv> {
  return async (c, next) => {
    const m = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '');
    c.set('ghost', await authenticate(deps, m?.[1]));
    await next();
  };
}

/** Token buckets per ghost, shared across instances through the store. */
export const GHOST_BUCKETS = {
  rooms: { capacity: 20, refillPerSecond: 1 / 3 },
  joinTokens: { capacity: 60, refillPerSecond: 1 },
  invites: { capacity: 30, refillPerSecond: 0.5 },
} as const satisfies Record<string, BucketSpec>;

/** Takes a token from one of the ghost's buckets; throws 429 saying when to retry. */
export async function limitGhost(deps: Deps, ghostId: string, bucket: keyof typeof GHOST_BUCKETS): Promise<void> {
  const r = await deps.store.takeToken(`g:${ghostId}:${bucket}`, GHOST_BUCKETS[bucket], deps.now(), ghostId);
  if (!r.ok) {
    throw new RelayError(429, ErrorCode.RateLimited, `Too many requests from this ghost. Wait ${Math.ceil(r.retryAfterMs / 1000)} s and try again.`);
  }
}
