import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import type { Health, Readiness } from '../../../protocol/src/http-api.js';
import type { Deps } from '../deps.js';
import { RelayError } from '../errors.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from '../metrics.js';

/** How long /ready and /health wait for the store before calling it unreachable: under a health checker's timeout. */
export const STORE_PING_TIMEOUT_MS = 1500;

/** Whether this instance is shutting down; /ready answers 503 from the first moment of a drain. */
export class Lifecycle {
  readonly startedAt = Date.now();
  draining = false;
}

async function storeReachable(deps: Deps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((res) => {
    timer = setTimeout(() => res(false), STORE_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([deps.store.ping().then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Constant-time bearer check; hashing first makes both sides the same length. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * /live (the process answers), /ready (the store accepts a write — Redis's
 * probe is a key with a TTL, so a Redis at maxmemory with noeviction, which
 * still answers PING, is not ready — and we are not draining: load balancers
 * route on this), /health (a summary for people),
 * /metrics (Prometheus text, aggregate only, optionally behind METRICS_TOKEN).
 */
export function healthRoutes(deps: Deps, lifecycle: Lifecycle, roomsActive: () => number): Hono {
  const r = new Hono();

  r.get('/live', (c) => c.json({ status: 'ok' } as const));

  r.get('/ready', async (c) => {
    const store = await storeReachable(deps);
    const body: Readiness = { ready: store && !lifecycle.draining, store: store ? 'ok' : 'unreachable', draining: lifecycle.draining };
    return c.json(body, body.ready ? 200 : 503);
  });

  r.get('/health', async (c) => {
    const store = await storeReachable(deps);
    const body: Health = {
      status: store && !lifecycle.draining ? 'ok' : 'degraded',
      store: deps.store.kind,
      storeStatus: store ? 'ok' : 'unreachable',
      draining: lifecycle.draining,
      uptimeSeconds: Math.floor((Date.now() - lifecycle.startedAt) / 1000),
    };
    return c.json(body, store ? 200 : 503);
  });

  r.get('/metrics', (c) => {
    const token = deps.config.metricsToken;
    if (token && !bearerMatches(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new RelayError(401, ErrorCode.Unauthorized, 'Metrics need the bearer token configured in METRICS_TOKEN.');
    }
    const text = renderPrometheus(deps.metrics, {
      roomsActive: roomsActive(),
      uptimeSeconds: Math.floor((Date.now() - lifecycle.startedAt) / 1000),
      draining: lifecycle.draining,
    });
    return c.body(text, 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE });
  });

  return r;
}
