import { Hono } from 'hono';
import type { PowChallenge } from '../../../protocol/src/messages/pow.js';
import type { Deps } from '../deps.js';

export function powRoutes(deps: Deps): Hono {
  const r = new Hono();
  r.get('/', async (c) => {
    const res: PowChallenge = await deps.pow.issue();
    return c.json(res);
  });
  return r;
}
