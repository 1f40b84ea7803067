import { createHmac, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { IceResponse, IceServer } from '../../../protocol/src/messages/signal-ice.js';
import type { Deps } from '../deps.js';

export interface TurnCredential {
  username: string;
  credential: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * A TURN REST credential (draft-uberti-behave-turn-rest-00, as coturn's
 * `use-auth-secret` checks it): username `<expiry unix seconds>:<random>`,
 * credential base64(HMAC-SHA1(secret, username)). The random part keeps
 * usernames unlinkable to a person; no ghost or room id goes in it.
 */
export function turnCredential(secret: string, ttlSeconds: number, nowMs: number, random: () => string = () => randomBytes(9).toString('base64url')): TurnCredential {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${random()}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** The ICE servers of the config, with fresh TURN credentials when TURN is configured. */
export function iceServers(deps: Pick<Deps, 'config' | 'now'>): IceResponse {
  const { stunUrls, turnUrls, turnSecret, turnTtlSeconds } = deps.config;
  const servers: IceServer[] = [];
  if (stunUrls.length) servers.push({ urls: stunUrls });
  if (turnUrls.length && turnSecret) {
    const cred = turnCredential(turnSecret, turnTtlSeconds, deps.now());
    servers.push({ urls: turnUrls, username: cred.username, credential: cred.credential });
    return { iceServers: servers, turn: true, expiresAt: cred.expiresAt };
  }
  return { iceServers: servers, turn: false, expiresAt: null };
}

/**
 * GET /api/ice. Best effort against TURN abuse: anyone who can reach the relay
 * can fetch credentials, which expire after TURN_TTL_SECONDS; rate limits and
 * quotas belong on the TURN server (coturn's user-quota, total-quota).
 */
export function iceRoutes(deps: Deps): Hono {
  const r = new Hono();
  r.get('/', (c) => c.json(iceServers(deps)));
  return r;
}
