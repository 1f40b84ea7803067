import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import type { RecordingSocket } from './recording-socket.js';

/**
 * Which close follows each error code, as protocol/README.md documents it (null: the socket stays open).
 * One table for /ws and /signal: the socket layer answers bad input the same way on both.
 */
export const CLOSE_AFTER: Record<string, number | null> = {
  invalid_json: 4400,
  unknown_type: 4400,
  bad_request: 4400,
  unsupported_version: 4400,
  unauthorized: 4401,
  room_not_found: 4404,
  not_joined: null,
  stale_epoch: null,
};

type ErrorLike = { type: string; code?: string };

/**
 * Sends one hostile message, then a sentinel that leaves the socket open with a not_joined error;
 * resolves once the relay has answered the first as documented: every error a documented one, and
 * a close (if any) with the code CLOSE_AFTER gives its first error.
 */
export async function probe<M extends { type: string }>(s: RecordingSocket<M>, payload: string, sentinel: unknown, sentinelAnswered: (received: M[]) => boolean): Promise<void> {
  s.send(payload);
  s.send(sentinel);
  const end = Date.now() + 10_000;
  while (!s.closed && !sentinelAnswered(s.received)) {
    if (Date.now() > end) throw new Error(`no answer to ${payload.slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const errors = (s.received as ErrorLike[]).filter((m) => m.type === 'error');
  for (const e of errors) expect(Object.keys(CLOSE_AFTER), `undocumented error ${e.code}`).toContain(e.code);
  if (s.closed) {
    const first = errors[0];
    expect(first, `closed ${s.closed.code} without an error frame for ${payload.slice(0, 120)}`).toBeDefined();
    expect(s.closed.code).toBe(CLOSE_AFTER[first!.code!]);
  } else {
    expect(errors.every((e) => e.code === 'not_joined')).toBe(true);
    s.close();
  }
}

/** The status of a raw upgrade to `path` carrying `headerCount` extra header lines. */
export function rawUpgradeStatus(port: number, headerCount: number, path = '/ws'): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: string[] = ['Connection', 'Upgrade', 'Upgrade', 'websocket', 'Sec-WebSocket-Version', '13', 'Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='];
    for (let i = 0; i < headerCount; i++) headers.push(`x-${i}`, 'v');
    const req = request({ host: '127.0.0.1', port, path, headers });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A full GC without starting Node with --expose-gc: allow the flag at runtime and take `gc` from a fresh context. */
export function gcNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
