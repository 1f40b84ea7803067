import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal } from '../../protocol/src/crypto/seal.js';
import type { RoomKeys } from '../../protocol/src/crypto/derive.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { createRoom, joinedSocket, sharedGhost, type TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

async function sendFrames(s: TestSocket, keys: RoomKeys, n: number, from = 1): Promise<void> {
  for (let i = from; i < from + n; i++) {
    s.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: i, data: toBase64url(await seal(keys.contentKey, keys.roomId, utf8(`m${i}`))) });
  }
  await s.next('sent', (a) => a.ref === from + n - 1);
}

const frameSeqs = (s: TestSocket) => s.received.filter((m) => m.type === 'frame').map((m) => (m as { seq: number }).seq);

describe('optional encrypted backlog (real relay process)', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('is off by default: a late joiner gets no earlier frames', async () => {
    const keys = await createRoom(relay.url);
    const a = await joinedSocket(relay.url, keys);
    await sendFrames(a, keys, 3);
    const late = await joinedSocket(relay.url, keys);
    expect(await late.next('joined')).toMatchObject({ seq: 3 });
    await a.next('presence');
    expect(frameSeqs(late)).toEqual([]);
    a.close();
    late.close();
  });

  it('replays the newest N frames to a joiner, and only those after lastSeq to a reconnecting member', async () => {
    const keys = await createRoom(relay.url, { backlog: 4 });
    const a = await joinedSocket(relay.url, keys);
    await sendFrames(a, keys, 6);
    const late = await joinedSocket(relay.url, keys);
    await late.next('frame', (f) => f.seq === 6);
    expect(frameSeqs(late)).toEqual([3, 4, 5, 6]);
    // joined came first, then the replay, in order.
    expect(late.received[0]).toMatchObject({ type: 'joined', seq: 6 });

    const back = await joinedSocket(relay.url, keys, { lastSeq: 5 });
    await back.next('frame', (f) => f.seq === 6);
    expect(frameSeqs(back)).toEqual([6]);

    // Live frames after the replay keep numbering and reach everyone.
    await sendFrames(a, keys, 1, 7);
    await late.next('frame', (f) => f.seq === 7);
    await back.next('frame', (f) => f.seq === 7);
    a.close();
    late.close();
    back.close();
  });

  it('keeps numbering after the backlog when everyone left and someone comes back', async () => {
    const keys = await createRoom(relay.url, { backlog: 10 });
    const a = await joinedSocket(relay.url, keys);
    await sendFrames(a, keys, 3);
    a.close();
    await a.waitClosed();
    // Wait until the relay has seen the close (the room empties on this instance).
    await new Promise((r) => setTimeout(r, 200));
    const again = await joinedSocket(relay.url, keys, { lastSeq: 3 });
    expect(await again.next('joined')).toMatchObject({ seq: 3 });
    expect(frameSeqs(again)).toEqual([]);
    await sendFrames(again, keys, 1, 1);
    expect(await again.next('sent')).toMatchObject({ seq: 4 });
    again.close();
  });

  it('refuses a backlog past ROOM_MAX_BACKLOG with 400', async () => {
    const ghost = await sharedGhost(relay.url);
    const res = await fetch(`${relay.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: ghost.auth },
      body: JSON.stringify({ roomId: 'A'.repeat(22), accessKeyHash: 'B'.repeat(43), backlog: 100_000 }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/backlog/);
  });
});
