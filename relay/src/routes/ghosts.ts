import { Hono } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { GHOST_MAX_TTL_SECONDS, GHOST_SESSION_TTL_SECONDS, ROOM_EMPTY_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import {
  createGhostRequestSchema,
  destroyGhostRequestSchema,
  type CreateGhostResponse,
  type FootprintResponse,
} from '../../../protocol/src/messages/ghosts-api.js';
import type { Deps } from '../deps.js';
import { RelayError } from '../errors.js';
import { authenticate, requireGhost, type GhostEnv } from '../ghosts/auth.js';
import { newGhostCredentials, validPublicKey } from '../ghosts/session.js';
import type { RoomHub } from '../ws/hub.js';
import { parseJson } from './parse.js';

/** Deletes every key of the ghost and closes its sockets on every instance. */
async function destroy(deps: Deps, hub: RoomHub, ghostId: string): Promise<void> {
  await deps.store.destroyGhost(ghostId, deps.now(), ROOM_EMPTY_GRACE_SECONDS * 1000);
  await hub.destroyGhost(ghostId);
}

export function ghostRoutes(deps: Deps, hub: RoomHub): Hono<GhostEnv> {
  const r = new Hono<GhostEnv>();

  r.post('/', async (c) => {
    const body = await parseJson(c, createGhostRequestSchema);
    // Checked before the work is spent, so a typo does not cost the solution.
    if (!validPublicKey(body.publicKey, body.alg)) {
      throw new RelayError(400, ErrorCode.BadRequest, `Invalid request: publicKey: not an ${body.alg} public key in SPKI form.`);
    }
    await deps.pow.spend(body.pow);
    const now = deps.now();
    const cred = newGhostCredentials();
    const ghost = await deps.store.createGhost(
      { id: cred.id, tokenHash: cred.tokenHash, publicKey: body.publicKey, alg: body.alg, createdAt: now, hardExpiresAt: now + GHOST_MAX_TTL_SECONDS * 1000 },
      now,
      GHOST_SESSION_TTL_SECONDS * 1000,
    );
    // 128 random bits do not collide; if they ever did, the client simply tries again.
    if (!ghost) throw new RelayError(503, ErrorCode.Unavailable, 'The relay could not create a ghost right now. Try again.');
    await Promise.all([deps.store.count('ghost', now), deps.store.count('create', now)]);
    const res: CreateGhostResponse = { ghostId: ghost.id, token: cred.token, expiresAt: ghost.expiresAt, hardExpiresAt: ghost.hardExpiresAt };
    return c.json(res, 201);
  });

  r.delete('/me', requireGhost(deps), async (c) => {
    await destroy(deps, hub, c.var.ghost.id);
    c.header('Clear-Site-Data', '"cache", "storage"');
    return c.body(null, 204);
  });

  // navigator.sendBeacon (panic) can only POST a body: the token rides in it. No Clear-Site-Data here:
  // the page's panic has already wiped and chooses between keeping the offline shell and a deep wipe;
  // the header would silently turn every panic into a deep wipe and unregister the service worker.
  r.post('/me/destroy', async (c) => {
    const body = await parseJson(c, destroyGhostRequestSchema);
    const ghost = await authenticate(deps, body.token);
    await destroy(deps, hub, ghost.id);
    return c.body(null, 204);
  });

  r.get('/me/footprint', requireGhost(deps), async (c) => {
    const res: FootprintResponse = { ghostId: c.var.ghost.id, records: await deps.store.ghostFootprint(c.var.ghost.id) };
    return c.json(res);
  });

  return r;
}
