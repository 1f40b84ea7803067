import type { NetworkInterfaceInfo } from 'node:os';

/** Whether `host` is a wildcard bind (every interface). */
export const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';

/**
 * The lines printed at start, as Vite does: where to open the app on this
 * machine, and on the LAN (so a phone on the same network can). Only IPv4:
 * those are the addresses people can type.
 */
export function bannerLines(opts: { scheme: 'http' | 'https'; host: string; port: number; interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> }): string[] {
  const { scheme, host, port } = opts;
  const local = isWildcard(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const lines = ['', '  Ghostwire relay ready', '', `  Local:   ${scheme}://${local}:${port}/`];
  if (isWildcard(host)) {
    for (const addrs of Object.values(opts.interfaces)) {
      for (const a of addrs ?? []) {
        if (a.family === 'IPv4' && !a.internal) lines.push(`  Network: ${scheme}://${a.address}:${port}/`);
      }
    }
  } else {
    lines.push('  Network: not exposed (HOST is not 0.0.0.0)');
  }
  if (scheme === 'http') {
    lines.push('', '  On another device, the app needs HTTPS (WebCrypto and service workers need a secure', '  context): set TLS_CERT and TLS_KEY, or use a tunnel. See docs/self-hosting.md.');
  }
  return [...lines, ''];
}
