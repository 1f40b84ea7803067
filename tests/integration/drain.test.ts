import { describe, expect, it } from 'vitest';
import { startRelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, TestSocket } from '../support/ws-client.js';

describe('graceful drain on SIGTERM (real relay process)', () => {
  it('tells every socket 1001 "going away, reconnect", stops accepting, and exits 0', async () => {
    const relay = await startRelayProcess();
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    const b = await joinedSocket(relay.url, keys);
    const idle = await TestSocket.open(relay.url);
    const exited = relay.stop('SIGTERM');
    for (const s of [a, b, idle]) expect((await s.waitClosed(10_000)).code).toBe(1001);
    expect(await exited).toBe(0);
    expect(relay.output.some((l) => l.includes('"msg":"draining"'))).toBe(true);
    // Nothing listens any more: a client reconnects elsewhere (the PWA's RelayClient retries on 1001).
    await expect(TestSocket.open(relay.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
