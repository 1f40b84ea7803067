import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { CloseCode } from '../../protocol/src/codes.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** A client that completes the upgrade and then never answers anything, not even a close frame. */
function stuckClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    s.once('data', (d) => (d.toString().startsWith('HTTP/1.1 101') ? resolve(s) : reject(new Error(d.toString()))));
    s.once('error', reject);
  });
}

const drainedLine = (relay: RelayProcess) => relay.output.map((l) => (l.startsWith('{') ? (JSON.parse(l) as Record<string, unknown>) : {})).find((l) => l.msg === 'drained');

describe('graceful shutdown on SIGTERM', () => {
  let relay: RelayProcess | undefined;
  afterEach(async () => {
    await relay?.stop('SIGKILL');
  });

  it('closes every chat socket with 1001 "reconnect elsewhere" mid-chat and exits 0', async () => {
    relay = await startRelayProcess();
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const b = await joinedSocket(relay.url, keys);
    const data = toBase64url(randomBytes(CHAT_FRAME_BYTES));
    a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data });
    await b.next('frame', (f) => f.data === data);

    const exited = relay.stop('SIGTERM');
    expect(await a.waitClosed(10_000)).toEqual({ code: CloseCode.GoingAway, reason: 'reconnect elsewhere' });
    expect(await b.waitClosed(10_000)).toEqual({ code: CloseCode.GoingAway, reason: 'reconnect elsewhere' });
    expect(await exited).toBe(0);
    expect(drainedLine(relay)).toMatchObject({ sockets: 2, cut: 0, clean: true });
  });

  it('refuses new connections while draining, cuts a client that never closes after SHUTDOWN_TIMEOUT_MS, and still exits 0', async () => {
    const timeout = 2000;
    relay = await startRelayProcess({ SHUTDOWN_TIMEOUT_MS: String(timeout) });
    const stuck = await stuckClient(relay.port);
    const ended = new Promise<void>((r) => stuck.once('close', () => r()));
    const started = Date.now();
    const exited = relay.stop('SIGTERM');
    // The drain is under way (the stuck socket holds it): no new connection gets in.
    await expect.poll(() => fetch(`${relay!.url}/live`).then(() => 'accepted', () => 'refused'), { timeout: 5000 }).toBe('refused');
    expect(await exited).toBe(0);
    await ended;
    // Bounded: the drain waited for the stuck client, but not (much) past its budget plus the exit margin.
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(timeout - 100);
    expect(took).toBeLessThan(timeout + 3000 + 5000);
    expect(drainedLine(relay)).toMatchObject({ sockets: 1, cut: 1, clean: false });
  });
});
