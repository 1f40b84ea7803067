import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-encoded and sent with content-type application/json. */
  json?: unknown;
  /** Trust this certificate (a test CA). */
  ca?: Buffer;
  /** Source address of the connection, e.g. 127.0.0.2 to tell the client's address from the server's. */
  localAddress?: string;
}

/**
 * An HTTP request with node:http(s) rather than fetch: it can set Host and
 * X-Forwarded-* freely, trust a test CA, and pick a local source address.
 */
export function request(url: string, opts: RawOptions = {}): Promise<RawResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = send(
      { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), host: u.hostname, port: u.port, path: u.pathname + u.search, headers, ca: opts.ca, localAddress: opts.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET; see `request`. */
export const get = (url: string, opts: Omit<RawOptions, 'method' | 'json'> = {}) => request(url, opts);
