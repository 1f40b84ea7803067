import type { MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import type { HttpError } from '../../../protocol/src/messages/error.js';

/** A registered route as Hono lists it in `app.routes`. */
interface RouteEntry {
  method: string;
  path: string;
}

/** Methods the static server answers on paths no route claims (the PWA's files). */
const STATIC_METHODS = ['GET', 'HEAD'];

/** A Hono path pattern (`/api/rooms/:id/join-tokens`, `/assets/*`) as a RegExp over whole paths. */
function patternOf(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

interface Compiled {
  method: string;
  re: RegExp;
}

/** Compiles the routes that serve a method of their own; `use()` middleware and catch-alls register as ALL. */
export function compileRoutes(routes: readonly RouteEntry[]): Compiled[] {
  return routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, re: patternOf(r.path) }));
}

/**
 * The methods a path is served with: those of the routes whose pattern
 * matches it (GET brings HEAD, as Hono answers HEAD from GET), else GET and
 * HEAD for the static files outside /api/; undefined under /api/ where no
 * route matches (a 404, not a 405).
 */
export function allowedMethods(routes: readonly Compiled[], path: string): string[] | undefined {
  const methods = new Set<string>();
  for (const r of routes) {
    if (!r.re.test(path)) continue;
    methods.add(r.method);
    if (r.method === 'GET') methods.add('HEAD');
  }
  if (methods.size > 0) return [...methods].sort();
  return path === '/api' || path.startsWith('/api/') ? undefined : STATIC_METHODS;
}

/**
 * Answers 405 with Allow to a method the path is not served with, before
 * anything reads the request (TRACE and PROPFIND used to get the app shell).
 * `routes` is read at the first request, once every route is registered.
 */
export function methodGuard(routes: () => readonly RouteEntry[]): MiddlewareHandler {
  let compiled: Compiled[] | undefined;
  return async (c, next) => {
    compiled ??= compileRoutes(routes());
    const allow = allowedMethods(compiled, c.req.path);
    if (allow && !allow.includes(c.req.method)) {
      c.header('Allow', allow.join(', '));
      return c.json({ error: ErrorCode.BadRequest, message: `This address answers ${allow.join(', ')} only.` } satisfies HttpError, 405);
    }
    await next();
  };
}
