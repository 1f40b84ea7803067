// A client written only from protocol/README.md: `ws`, fetch and WebCrypto,
// and nothing imported from relay/ or protocol/. If the relay drifts from
// the document, this is the test that notices.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

// Numbers copied from the README's tables.
const CHAT_FRAME_BYTES = 4096;
const IV_BYTES = 12;
const PAD_HEADER_BYTES = 4;
const HKDF_SALT = 'ghostwire/hkdf-salt/v1';

const enc = new TextEncoder();
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const unb64u = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'base64url'));

async function derive(secret: Uint8Array<ArrayBuffer>) {
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const bits = async (label: string, n: number) =>
    new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: enc.encode(HKDF_SALT), info: enc.encode(label) }, ikm, n * 8));
  const roomId = b64u(await bits('ghostwire/room-id/v1', 16));
  const accessKey = await bits('ghostwire/access-key/v1', 32);
  const accessKeyHash = b64u(new Uint8Array(await crypto.subtle.digest('SHA-256', accessKey)));
  const contentKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: enc.encode(HKDF_SALT), info: enc.encode('ghostwire/content-key/v1') },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { roomId, accessKey, accessKeyHash, contentKey };
}

type Keys = Awaited<ReturnType<typeof derive>>;

async function sealText(k: Keys, text: string): Promise<string> {
  const content = enc.encode(JSON.stringify({ k: 'text', id: b64u(crypto.getRandomValues(new Uint8Array(12))), body: text, at: Date.now() }));
  const padded = new Uint8Array(CHAT_FRAME_BYTES - IV_BYTES - 16);
  new DataView(padded.buffer).setUint32(0, content.length);
  padded.set(content, PAD_HEADER_BYTES);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const aad = enc.encode(`ghostwire/v1/room/${k.roomId}`);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, k.contentKey, padded));
  const frame = new Uint8Array(IV_BYTES + ct.length);
  frame.set(iv);
  frame.set(ct, IV_BYTES);
  expect(frame.length).toBe(CHAT_FRAME_BYTES);
  return b64u(frame);
}

async function openText(k: Keys, data: string): Promise<string> {
  const frame = unb64u(data);
  const aad = enc.encode(`ghostwire/v1/room/${k.roomId}`);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: frame.slice(0, IV_BYTES), additionalData: aad }, k.contentKey, frame.slice(IV_BYTES)));
  const len = new DataView(padded.buffer).getUint32(0);
  return (JSON.parse(new TextDecoder().decode(padded.slice(PAD_HEADER_BYTES, PAD_HEADER_BYTES + len))) as { body: string }).body;
}

/** A /ws client: a queue of parsed messages and the close code. */
class Client {
  readonly inbox: Array<Record<string, unknown>> = [];
  closeCode: number | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.inbox.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.on('close', (code) => (this.closeCode = code));
  }
  static async connect(base: string): Promise<Client> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`);
    await new Promise((res, rej) => ws.once('open', res).once('error', rej));
    return new Client(ws);
  }
  send(msg: object): void {
    this.ws.send(JSON.stringify(msg));
  }
  async wait(pred: (m: Record<string, unknown>) => boolean, ms = 10_000): Promise<Record<string, unknown>> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.inbox.find(pred);
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`timed out; inbox: ${JSON.stringify(this.inbox.map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function postJson(url: string, body: unknown, bearer?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** "Proof of work": per sub-puzzle i, a u32 nonce whose SHA-256 over the documented prefix has enough leading zero bits. */
function solve(ch: { challenge: string; difficulty: number; subPuzzles: number }): number[] {
  const bits = Math.max(1, ch.difficulty - Math.log2(ch.subPuzzles));
  const zeros = (h: Buffer): number => {
    let n = 0;
    for (const b of h) {
      if (b === 0) n += 8;
      else return n + Math.clz32(b) - 24;
    }
    return n;
  };
  const nonces: number[] = [];
  for (let i = 0; i < ch.subPuzzles; i++) {
    const prefix = Buffer.from(`ghostwire/pow/v1|${ch.challenge}|${i}|`);
    const buf = Buffer.alloc(prefix.length + 4);
    prefix.copy(buf);
    for (let nonce = 0; ; nonce++) {
      buf.writeUInt32BE(nonce, prefix.length);
      if (zeros(createHash('sha256').update(buf).digest()) >= bits) {
        nonces.push(nonce);
        break;
      }
    }
  }
  return nonces;
}

/** "Becoming a ghost": GET /api/pow, solve, POST /api/ghosts with an ECDSA P-256 SPKI; returns the bearer token. */
async function becomeGhost(base: string): Promise<string> {
  const ch = (await (await fetch(`${base}/api/pow`)).json()) as { challenge: string; difficulty: number; subPuzzles: number };
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));
  const publicKey = b64u(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
  const res = await postJson(`${base}/api/ghosts`, { pow: { challenge: ch.challenge, nonces: solve(ch) }, publicKey, alg: 'ECDSA-P256' });
  expect(res.status).toBe(201);
  return res.json.token as string;
}

describe('a third-party client written from protocol/README.md', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelayProcess();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('becomes a ghost, creates a room, joins twice, exchanges sealed frames and gets acks', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const keys = await derive(secret);
    const [aliceGhost, bobGhost] = [await becomeGhost(relay.url), await becomeGhost(relay.url)];
    // Without a ghost the relay refuses, as documented.
    expect((await postJson(`${relay.url}/api/rooms`, { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash })).status).toBe(401);
    const created = await postJson(`${relay.url}/api/rooms`, { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash, capacity: 4 }, aliceGhost);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ roomId: keys.roomId, capacity: 4, backlog: 0 });

    const join = async (ghost: string) => {
      const t = await postJson(`${relay.url}/api/rooms/${keys.roomId}/join-tokens`, { accessKey: b64u(keys.accessKey) }, ghost);
      expect(t.status).toBe(201);
      const c = await Client.connect(relay.url);
      c.send({ v: PROTOCOL_VERSION, type: 'join', token: t.json.token });
      const joined = await c.wait((m) => m.type === 'joined');
      expect(joined).toMatchObject({ v: PROTOCOL_VERSION, room: keys.roomId, seq: 0 });
      return { c, member: joined.member as string };
    };
    const alice = await join(aliceGhost);
    const bob = await join(bobGhost);
    expect(await alice.c.wait((m) => m.type === 'presence')).toMatchObject({ event: 'join', member: bob.member });

    alice.c.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 1, data: await sealText(keys, 'hello bob') });
    const atBob = await bob.c.wait((m) => m.type === 'frame');
    expect(atBob).toMatchObject({ room: keys.roomId, seq: 1, from: alice.member });
    expect(await openText(keys, atBob.data as string)).toBe('hello bob');
    expect(await alice.c.wait((m) => m.type === 'sent')).toEqual({ v: PROTOCOL_VERSION, type: 'sent', room: keys.roomId, ref: 1, seq: 1, delivered: 1 });

    bob.c.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref: 9, data: await sealText(keys, 'hi alice') });
    expect(await openText(keys, (await alice.c.wait((m) => m.type === 'frame')).data as string)).toBe('hi alice');
    expect(await bob.c.wait((m) => m.type === 'sent')).toMatchObject({ ref: 9, seq: 2, delivered: 1 });

    // The documented error for a frame in a room not joined: not_joined with the ref, socket stays open.
    bob.c.send({ v: PROTOCOL_VERSION, type: 'frame', room: 'A'.repeat(22), ref: 3, data: await sealText(keys, 'x') });
    expect(await bob.c.wait((m) => m.type === 'error')).toMatchObject({ code: 'not_joined', ref: 3 });

    bob.c.send({ v: PROTOCOL_VERSION, type: 'leave', room: keys.roomId });
    expect(await alice.c.wait((m) => m.type === 'presence' && m.event === 'leave')).toMatchObject({ member: bob.member });
    alice.c.ws.close(1000);
    bob.c.ws.close(1000);
  });
});
