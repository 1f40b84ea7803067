import type { MiddlewareHandler } from 'hono';

/**
 * Strict same-origin CSP; no inline script or style anywhere.
 *
 * connect-src is 'self' only, on purpose: CSP Level 3 makes 'self' match
 * ws:/wss: to the page's own host and port, which every browser the app
 * supports implements (Chromium, Firefox, Safari 15.4+). Listing explicit
 * ws:// and wss:// hosts would mean echoing the Host header into the policy,
 * and bare `wss:` would let injected script talk to any relay on the web.
 * tests/e2e/ops-csp.test.ts runs a full chat under this policy and fails on
 * any `securitypolicyviolation`.
 *
 * blob: for images decrypted in the page and workers built from modules;
 * data: for the QR code canvas export.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy([]);

/**
 * The policy with `scriptHashes` ('sha256-…' sources) added to script-src. The
 * HTML shell's one inline element is its import map (JSON, not code: it carries
 * the integrity of every JS chunk, see scripts/vite-sri.ts), allowed by its
 * hash alone; there is never 'unsafe-inline'.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' '),
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Chromium 138+: a script without integrity metadata (an SRI attribute, or an
 * entry in the import map's "integrity") is not loaded at all, so a relay
 * cannot slip in a script the shell did not name with its hash. Browsers that
 * do not know the header ignore it; the hashes in the page still bind what they name.
 */
export const INTEGRITY_POLICY = 'blocked-destinations=(script)';

/** Camera (QR scanning) and the motion sensors behind shake-to-panic, for this origin only; the rest off. */
export const PERMISSIONS_POLICY = [
  'camera=(self)',
  'accelerometer=(self)',
  'gyroscope=(self)',
  'magnetometer=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'display-capture=()',
].join(', ');

/** Two years: the preload list's minimum. No includeSubDomains: the relay cannot speak for its siblings. */
export const HSTS = 'max-age=63072000';

/** Headers every response carries, whatever its type (the WS upgrade's 101 included). */
export const BASE_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Content-Type-Options', 'nosniff'],
  // Older browsers ignore frame-ancestors; DENY says the same to them.
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Permissions-Policy', PERMISSIONS_POLICY],
  ['Integrity-Policy', INTEGRITY_POLICY],
];

/** Vite's content-hashed build output: safe to cache forever, since a new build gets new names. */
const HASHED_ASSET = /^\/assets\/.+-[\w-]{8,}\.\w+$/;

export interface HeaderOptions {
  /** Built-in TLS is on: every request arrived over HTTPS. */
  tls: boolean;
  /** Believe X-Forwarded-Proto (set only behind a proxy that overwrites it). */
  trustProxy: boolean;
  /** Hashes of the HTML shell's inline import map ('sha256-…'), allowed on HTML answers only. */
  htmlScriptHashes?: readonly string[];
}

/** Whether this request reached the client over HTTPS, as far as the relay may know. */
export function overHttps(opts: HeaderOptions, forwardedProto: string | undefined): boolean {
  if (opts.tls) return true;
  // A chain of proxies appends; the first value is the one the client used.
  return opts.trustProxy && forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Cache policy by path and type: hashed assets are immutable, everything else (HTML, worker, API) no-store. */
export function cacheControl(path: string, contentType: string): string {
  return HASHED_ASSET.test(path) && !contentType.includes('text/html') ? 'public, max-age=31536000, immutable' : 'no-store';
}

/** Header lines for the 101 of a WebSocket upgrade, which never passes through Hono's response. */
export function upgradeHeaderLines(opts: HeaderOptions, forwardedProto: string | undefined): string[] {
  const lines = BASE_HEADERS.map(([k, v]) => `${k}: ${v}`);
  lines.push('Cache-Control: no-store');
  if (overHttps(opts, forwardedProto)) lines.push(`Strict-Transport-Security: ${HSTS}`);
  return lines;
}

/** Hono middleware that sets the security and cache headers on every response. */
export function securityHeaders(opts: HeaderOptions): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    for (const [k, v] of BASE_HEADERS) h.set(k, v);
    const type = h.get('Content-Type') ?? '';
    if (opts.htmlScriptHashes?.length && type.includes('text/html')) h.set('Content-Security-Policy', contentSecurityPolicy(opts.htmlScriptHashes));
    h.set('Cache-Control', cacheControl(c.req.path, type));
    if (overHttps(opts, c.req.header('x-forwarded-proto'))) h.set('Strict-Transport-Security', HSTS);
  };
}
