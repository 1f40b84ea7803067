import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url, utf8 } from '../../protocol/src/crypto/bytes.js';
import { seal, type Bucket } from '../../protocol/src/crypto/seal.js';
import { bucketOf, wireSize } from '../../protocol/src/wire-size.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { startWireTap, type WireTap } from '../support/wire-tap.js';
import { createRoom, joinedSocket, type TestSocket } from '../support/ws-client.js';
import type { RoomKeys } from '../../protocol/src/crypto/derive.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** The documented size of one captured message, from protocol/README.md's formulas. */
function documentedSize(raw: string, direction: 'client' | 'relay'): number {
  const m = JSON.parse(raw) as Record<string, unknown> & { type: string };
  const bucket = (): Bucket => {
    const b = bucketOf((m.data as string).length);
    if (!b) throw new Error(`a frame of ${(m.data as string).length} base64url characters is in no bucket`);
    return b;
  };
  switch (`${direction}:${m.type}`) {
    case 'client:join':
      return wireSize.join((m.token as string).length, m.lastSeq as number | undefined);
    case 'client:frame':
      return wireSize.clientFrame(bucket(), m.ref as number);
    case 'client:leave':
      throw new Error('no leave in this chat');
    case 'relay:frame':
      return wireSize.serverFrame(bucket(), m.seq as number);
    case 'relay:sent':
      return wireSize.sent(m.ref as number, m.seq as number, m.delivered as number);
    case 'relay:presence':
      return wireSize.presence(m.event as 'join' | 'leave');
    case 'relay:joined':
      return wireSize.joined((m.members as string[]).length, m.seq as number, m.expiresAt as number, m.epoch as number);
    default:
      throw new Error(`unexpected ${direction} message ${m.type}`);
  }
}

async function say(s: TestSocket, keys: RoomKeys, ref: number, body: string, bucket: Bucket = 'chat'): Promise<void> {
  // Sizes on the wire do not depend on what is sealed inside: any bytes of the bucket do.
  const sealed = await seal(keys.contentKey, keys.roomId, utf8(body.slice(0, 1000)), bucket);
  s.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data: toBase64url(sealed) });
  await s.next('sent', (a) => a.ref === ref);
}

describe('sizes on the wire (real relay process, recorded by a TCP tap)', () => {
  let relay: RelayProcess;
  let tap: WireTap;
  beforeAll(async () => {
    relay = await startRelayProcess();
    tap = await startWireTap(relay.port);
  });
  afterAll(async () => {
    await tap?.close();
    await relay?.stop();
  });

  it('gives every message of a two-person chat one of the documented sizes, whatever was written', async () => {
    const keys = await createRoom(relay.url);
    const alice = await joinedSocket(tap.url, keys);
    const bob = await joinedSocket(tap.url, keys);
    const texts = ['a', 'hello there', 'x'.repeat(2000), '🙂'.repeat(700), 'é'.repeat(1500), ''.padEnd(3000, 'z')];
    let ref = 1;
    for (const t of texts) {
      await say(alice, keys, ref++, t);
      await say(bob, keys, ref++, t.slice(0, 10));
    }
    // Enough frames for seq and ref to reach two digits, and a media chunk.
    for (let i = 0; i < 6; i++) await say(alice, keys, ref++, `n${i}`);
    await say(bob, keys, ref++, 'file chunk', 'media');
    await alice.next('frame', (f) => f.seq === ref - 1);
    alice.close();
    await bob.next('presence', (p) => p.event === 'leave');
    bob.close();
    await bob.waitClosed();

    const fromClients = tap.clientWsMessages();
    const fromRelay = tap.relayWsMessages();
    expect(fromClients.filter((m) => m.includes('"type":"frame"'))).toHaveLength(ref - 1);
    expect(fromRelay.filter((m) => m.includes('"type":"frame"'))).toHaveLength(ref - 1);
    const sizes = new Map<string, Set<number>>();
    for (const [direction, list] of [['client', fromClients], ['relay', fromRelay]] as const) {
      for (const raw of list) {
        expect(Buffer.byteLength(raw), `${direction}: ${raw.slice(0, 80)}`).toBe(documentedSize(raw, direction));
        const m = JSON.parse(raw) as { type: string; data?: string };
        const key = `${direction}:${m.type}${m.data ? `:${bucketOf(m.data.length)}` : ''}`;
        sizes.set(key, (sizes.get(key) ?? new Set()).add(Buffer.byteLength(raw)));
      }
    }
    // Six texts from 1 to 3,000 characters made chat frames of exactly two sizes: one- and two-digit counters.
    expect([...sizes.get('client:frame:chat')!].sort()).toEqual([wireSize.clientFrame('chat', 1), wireSize.clientFrame('chat', 10)]);
    expect([...sizes.get('relay:frame:chat')!].sort()).toEqual([wireSize.serverFrame('chat', 1), wireSize.serverFrame('chat', 10)]);
    expect([...sizes.get('relay:frame:media')!]).toEqual([wireSize.serverFrame('media', ref - 1)]);
  });
});
