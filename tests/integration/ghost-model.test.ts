import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GHOST_SESSION_TTL_SECONDS } from '../../protocol/src/limits.js';
import { ghostView } from '../../web/src/ghost-view.js';
import { currentGhost, ensureGhost } from '../../web/src/models/ghost.js';
import { PowCancelled } from '../../web/src/pow/solve.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';

/** The PWA's ghost model against the real relay (Node has no Worker: this runs the main-thread fallback). */
describe('the ghost model: no name of its own, sliding session, cancel, destroy (real relay)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    currentGhost()?.wipe();
    await relay?.stop();
  });

  it('a cancelled entry makes no ghost and says why', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(ensureGhost(relay.url, fetch, { signal: ac.signal })).rejects.toBeInstanceOf(PowCancelled);
    expect(currentGhost()).toBeNull();
    expect(ghostView.value).toBeNull();
  });

  it('publishes the sliding expiry and no name (names are per room), slides it on touch, and forgets it on destroy', async () => {
    const before = Date.now();
    const g = await ensureGhost(relay.url);
    const view = ghostView.value!;
    expect(view.id).toBe(g.id);
    // Members see a per-room name; nothing about the ghost itself is shown to anyone.
    expect(Object.keys(view).sort()).toEqual(['clockOffsetMs', 'expiresAt', 'hardExpiresAt', 'id']);
    expect('key' in g || 'publicKey' in g).toBe(false);
    expect(view.expiresAt).toBeGreaterThanOrEqual(before + GHOST_SESSION_TTL_SECONDS * 1000);
    expect(view.hardExpiresAt).toBeGreaterThan(view.expiresAt);

    await new Promise((r) => setTimeout(r, 20));
    await g.touch();
    expect(ghostView.value!.expiresAt).toBeGreaterThan(view.expiresAt);

    const token = g.bearer;
    await g.destroy();
    expect(ghostView.value).toBeNull();
    expect(currentGhost()).toBeNull();
    const res = await fetch(`${relay.url}/api/ghosts/me/footprint`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
  });
});
