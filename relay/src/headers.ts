import type { MiddlewareHandler } from 'hono';

/**
 * Strict same-origin CSP. 'self' in connect-src covers ws:/wss: to the same
 * host (CSP Level 3). blob: for decrypted images and workers built from
 * modules; no inline script anywhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
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

/** Camera for QR scanning and motion sensors for shake-to-panic; nothing else. */
export const PERMISSIONS_POLICY =
  'camera=(self), accelerometer=(self), gyroscope=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    h.set('Cross-Origin-Resource-Policy', 'same-origin');
    h.set('Permissions-Policy', PERMISSIONS_POLICY);
    const type = h.get('Content-Type') ?? '';
    // Hashed build assets may be cached; HTML, the worker and every API answer never are.
    if (!/\/assets\/.+-[\w-]{8,}\.\w+$/.test(c.req.path) || type.includes('text/html')) {
      h.set('Cache-Control', 'no-store');
    } else {
      h.set('Cache-Control', 'public, max-age=31536000, immutable');
    }
  };
}
