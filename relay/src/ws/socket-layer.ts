import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { MAX_HANDSHAKE_HEADERS } from '../../../protocol/src/limits.js';
import type { HttpError } from '../../../protocol/src/messages/error.js';
import type { Deps } from '../deps.js';
import { upgradeHeaderLines, type HeaderOptions } from '../headers.js';
import type { Lifecycle } from '../routes/health.js';
import { ManagedSocket, type SocketRoute } from './managed-socket.js';
import { createSocketServer, type SocketServer } from './raw-socket.js';
import { SocketRegistry } from './registry.js';

/** Why an upgrade is refused before any WebSocket exists: an HTTP status and the usual error body. */
export interface Refusal {
  status: 404 | 431 | 503;
  body: HttpError;
}

/** Whether a browser Origin may open a socket: an allow-listed origin, or the relay's own host. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: string[]): boolean {
  // Non-browser clients send no Origin; they could forge one anyway, so the check only guards browsers.
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Every WebSocket of one relay instance, /ws and /signal alike: the one
 * upgrade path (draining, header cap, socket cap, Origin) and the registry
 * their heartbeat, join deadline and per-ghost cap share. Upgrades are taken
 * on the Node server itself, not through Hono: an idle socket then holds no
 * Hono context or Request (see the measurement in issue 16's note).
 */
export class SocketLayer {
  readonly registry: SocketRegistry<ManagedSocket>;
  private readonly server: SocketServer;
  private readonly headerOpts: HeaderOptions;
  /** One listener for every socket mid-upgrade (a closure per upgrade would keep its scope alive as long as the socket). */
  private readonly upgradeError = (err: Error): void => this.deps.log.debug('upgrade socket error', { err: err.name });

  constructor(
    private readonly deps: Deps,
    private readonly lifecycle: Lifecycle,
    private readonly routes: ReadonlyMap<string, SocketRoute<{ type: string }>>,
  ) {
    const { config } = deps;
    this.registry = new SocketRegistry<ManagedSocket>(config.ws, deps.now);
    this.headerOpts = { tls: !!config.tls, trustProxy: config.trustProxy };
    // The 101 is written by `ws`, not Hono: give it the same headers as every other response.
    this.server = createSocketServer((req) => upgradeHeaderLines(this.headerOpts, first(req.headers['x-forwarded-proto'])));
  }

  /** Why a handshake with `headerLines` header lines would be refused now, or undefined to accept it. */
  refusal(headerLines: number): Refusal | undefined {
    // An honest upgrade carries about 15 header lines; far more is an attack or a broken client.
    if (headerLines > MAX_HANDSHAKE_HEADERS) return { status: 431, body: { error: ErrorCode.TooLarge, message: 'Too many request headers.' } };
    // A draining instance takes no new sockets: the client's backoff finds another replica.
    if (this.lifecycle.draining) {
      return { status: 503, body: { error: ErrorCode.Unavailable, message: 'This relay instance is shutting down; reconnect in a moment.' } };
    }
    if (this.registry.size >= this.deps.config.ws.maxSockets) {
      return { status: 503, body: { error: ErrorCode.Unavailable, message: 'This relay instance holds as many connections as it can; try again in a minute.' } };
    }
    return undefined;
  }

  /** The Node server's `upgrade` event: refuse with a status and a sentence, or hand the socket to its route. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A client that resets mid-handshake must not take the process down; nothing of it is worth a log line above debug.
    socket.on('error', this.upgradeError);
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    const route = this.routes.get(path);
    const refused: Refusal | undefined = route
      ? this.refusal(req.rawHeaders.length / 2)
      : { status: 404, body: { error: ErrorCode.BadRequest, message: 'WebSockets open on /ws or /signal only.' } };
    if (refused) {
      this.deps.log.debug('upgrade refused', { status: refused.status });
      this.writeRefusal(socket, refused, first(req.headers['x-forwarded-proto']));
      return;
    }
    const allowed = originAllowed(req.headers.origin, req.headers.host, this.deps.config.allowedOrigins);
    this.server.accept(req, socket, head, (raw) => {
      // From here `ws` listens for the socket's errors; ours would be one more listener held per idle socket.
      socket.removeListener('error', this.upgradeError);
      ManagedSocket.start(raw, route!, this.deps, this.registry, allowed);
    });
  }

  /** Drain: every open socket starts its close handshake with `code`. */
  closeAll(code: number, reason: string): void {
    for (const s of this.registry.all()) s.close(code, reason);
  }

  /** Drain, after the grace: drops whatever is still open. */
  terminateAll(): void {
    for (const s of this.registry.all()) s.terminate();
  }

  private writeRefusal(socket: Duplex, r: Refusal, proto: string | undefined): void {
    const body = JSON.stringify(r.body);
    const lines = [
      `HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? ''}`,
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...upgradeHeaderLines(this.headerOpts, proto),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }
}
