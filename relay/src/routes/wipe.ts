import { Hono } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { RelayError } from '../errors.js';

/**
 * What the browser is asked to clear for this origin. "storage" covers Cache
 * Storage, IndexedDB, web storage and the service worker registration;
 * "cache" the HTTP cache. A second line behind the app's own wipe, which
 * runs first because this one needs the network.
 */
export const CLEAR_SITE_DATA = '"cache", "storage"';

/** POST /api/wipe: answers Clear-Site-Data, stores and logs nothing. */
export function wipeRoutes(originOk: (origin: string | undefined, host: string | undefined) => boolean): Hono {
  const r = new Hono();
  r.post('/', (c) => {
    // Another site must not be able to wipe this one's data (and unregister its worker) behind the user's back.
    if (c.req.header('sec-fetch-site') === 'cross-site' || !originOk(c.req.header('origin'), c.req.header('host'))) {
      throw new RelayError(403, ErrorCode.ForbiddenOrigin, 'Only this app can ask to wipe its own data.');
    }
    c.header('Clear-Site-Data', CLEAR_SITE_DATA);
    return c.body(null, 204);
  });
  return r;
}
