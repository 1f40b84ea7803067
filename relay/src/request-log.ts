import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from './log.js';

/**
 * One debug line per HTTP request: method, the matched route *pattern*
 * (`/api/rooms/:id/join-tokens`, never the path, which holds a room id),
 * status and duration. No address, no header, no query.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL' || !r.path.endsWith('*'));
    const route = handlers.at(-1)?.path ?? 'static';
    log.debug('http', { method: c.req.method, route, status: c.res.status, ms: Math.round(performance.now() - started) });
  };
}
