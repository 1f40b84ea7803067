import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../protocol/src/crypto/derive.js';
import { CHAT_FRAME_BYTES } from '../../protocol/src/limits.js';
import { request } from '../support/http.js';
import { startRelayProcess, type RelayProcess } from '../support/relay-process.js';
import { encodings } from '../support/wire-tap.js';
import { createGhost, over } from '../support/ghost.js';
import { TestSocket } from '../support/ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/** The client's own loopback address: distinct from the relay's 127.0.0.1, so finding it in a log would prove a leak. */
const CLIENT_IP = '127.0.0.2';
/** What a proxy in front would add (TRUST_PROXY=true): the visitor's address, TEST-NET-3. */
const FORWARDED_IP = '203.0.113.77';
const IPV6 = '2001:db8::7';
const JOIN_TOKEN_SECRET = `jts-${randomBytes(24).toString('hex')}`;
const METRICS_TOKEN = `mt-${randomBytes(24).toString('hex')}`;
const proxied = { 'x-forwarded-for': `${FORWARDED_IP}, ${IPV6}`, 'x-real-ip': FORWARDED_IP, 'x-forwarded-proto': 'https', 'user-agent': 'GhostwireLeakProbe/1.0' };

async function socketFrom(base: string): Promise<TestSocket> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, { localAddress: CLIENT_IP, headers: proxied });
  const s = new TestSocket(ws);
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res());
    ws.once('error', rej);
  });
  return s;
}

describe('logs at LOG_LEVEL=debug through a whole chat leak nothing', () => {
  let relay: RelayProcess;
  let keys: RoomKeys;
  const secrets: string[] = [];
  const frames: string[] = [];

  beforeAll(async () => {
    relay = await startRelayProcess({ LOG_LEVEL: 'debug', TRUST_PROXY: 'true', JOIN_TOKEN_SECRET, METRICS_TOKEN });
    const secret = newRoomSecret();
    keys = await deriveRoomKeys(secret);
    secrets.push(toBase64url(secret), keys.roomId, keys.accessKeyHash, toBase64url(keys.accessKey), JOIN_TOKEN_SECRET, METRICS_TOKEN);

    const base = relay.url;
    // A ghost first (its session token and id must never reach the log either).
    const ghost = await createGhost(over(base));
    secrets.push(ghost.token, ghost.ghostId);
    const http = (path: string, json?: unknown, headers: Record<string, string> = {}) =>
      request(base + path, { json, localAddress: CLIENT_IP, headers: { ...proxied, authorization: ghost.auth, ...headers } });
    expect((await http('/', undefined)).status).toBe(200);
    expect((await http('/api/rooms', { roomId: keys.roomId, accessKeyHash: keys.accessKeyHash })).status).toBe(201);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await http(`/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey) });
      expect(res.status).toBe(201);
      tokens.push((JSON.parse(res.body) as { token: string }).token);
    }
    secrets.push(...tokens);
    // Failures log too: a wrong key, a bad body, a wrong metrics token, an unknown endpoint.
    expect((await http(`/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(randomBytes(32)) })).status).toBe(404);
    expect((await http('/api/rooms', { roomId: keys.roomId })).status).toBe(400);
    expect((await http('/metrics', undefined, { authorization: `Bearer ${'x'.repeat(40)}` })).status).toBe(401);
    expect((await http('/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
    expect((await http(`/api/${keys.roomId}`)).status).toBe(404);

    const a = await socketFrom(base);
    const b = await socketFrom(base);
    a.send({ v: PROTOCOL_VERSION, type: 'join', token: tokens[0] });
    b.send({ v: PROTOCOL_VERSION, type: 'join', token: tokens[1] });
    const joinedA = await a.next('joined');
    const joinedB = await b.next('joined');
    secrets.push(joinedA.member, joinedB.member);
    for (let ref = 1; ref <= 3; ref++) {
      const data = toBase64url(randomBytes(CHAT_FRAME_BYTES));
      frames.push(data);
      a.send({ v: PROTOCOL_VERSION, type: 'frame', room: keys.roomId, ref, data });
      await b.next('frame', (f) => f.data === data);
    }
    // A replayed token, a bad frame, then a clean leave and close.
    const c = await socketFrom(base);
    c.send({ v: PROTOCOL_VERSION, type: 'join', token: tokens[0] });
    await c.waitClosed();
    b.send(`{"v":${PROTOCOL_VERSION},"type":"frame","room":"${keys.roomId}","ref":9,"data":"not-a-sealed-frame ${FORWARDED_IP}"}`);
    await b.waitClosed();
    a.send({ v: PROTOCOL_VERSION, type: 'leave', room: keys.roomId });
    a.close();
    await a.waitClosed();
    // The same chat, as /metrics counts it: aggregate numbers only.
    const metrics = (await http('/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` })).body;
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(value('ghostwire_frames_relayed_total')).toBe(3);
    expect(value('ghostwire_deliveries_total')).toBe(3);
    expect(value('ghostwire_connections_total')).toBe(3);
    expect(value('ghostwire_rooms_created_total')).toBe(1);
    expect(value('ghostwire_protocol_errors_total')).toBeGreaterThanOrEqual(2);
    for (const s of secrets) expect(metrics).not.toContain(s);
    expect(await relay.stop('SIGTERM')).toBe(0);
  });

  afterAll(async () => {
    await relay?.stop('SIGKILL');
  });

  it('wrote structured JSON lines at debug level, so the check below saw real logging', () => {
    if (process.env.GHOSTWIRE_PRINT_LOGS) console.log(relay.output.join('\n'));
    const json = relay.output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(json.length).toBeGreaterThan(10);
    expect(json.filter((l) => l.level === 'debug').length).toBeGreaterThan(10);
    for (const l of json) expect(['debug', 'info', 'warn', 'error']).toContain(l.level);
    expect(json.map((l) => l.msg)).toEqual(expect.arrayContaining(['http', 'ws open', 'ws closed', 'listening', 'drained']));
  });

  it('holds no payload, key, token, secret, room id or member id, in any encoding', () => {
    const out = Buffer.from(relay.output.join('\n'));
    expect(secrets.length).toBe(12);
    for (const s of [...secrets, ...frames, ...frames.map((f) => f.slice(100, 140))]) {
      for (const form of encodings(s)) expect(out.includes(form), `log holds ${s.slice(0, 12)}…`).toBe(false);
    }
  });

  it('holds no IP address: not the client, not the forwarded one, and no address-shaped value at all', () => {
    const out = relay.output.join('\n');
    for (const ip of [CLIENT_IP, FORWARDED_IP, IPV6, 'GhostwireLeakProbe']) expect(out).not.toContain(ip);
    for (const line of relay.output.filter((l) => l.startsWith('{'))) {
      const { t: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
      expect(JSON.stringify(rest)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,}/i);
    }
  });
});
