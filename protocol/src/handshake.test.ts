import { describe, expect, it } from 'vitest';
import { clientMessageSchema } from './client-message.js';
import { HANDSHAKE_MAX_BYTES, MAX_WS_MESSAGE_BYTES } from './limits.js';
import { base64urlLength } from './messages/common.js';
import { serverMessageSchema } from './server-message.js';
import { PROTOCOL_VERSION } from './version.js';

const ROOM = 'q3VfN0uJ8c2Lh7aZ1xY4Tg';
const MEMBER = 'c0Rf7pHq2LmWxYv9TnB3eA';
const MAX = 'A'.repeat(base64urlLength(HANDSHAKE_MAX_BYTES));
const REF_MAX = 2 ** 31 - 1;

describe('MLS handshake messages', () => {
  it('fit the largest commit, in either direction, in MAX_WS_MESSAGE_BYTES', () => {
    const client = { v: PROTOCOL_VERSION, type: 'commit', room: ROOM, ref: REF_MAX, epoch: Number.MAX_SAFE_INTEGER, data: MAX, welcome: MAX };
    const server = { v: PROTOCOL_VERSION, type: 'commit', room: ROOM, seq: Number.MAX_SAFE_INTEGER, from: MEMBER, epoch: Number.MAX_SAFE_INTEGER, data: MAX, welcome: MAX };
    expect(clientMessageSchema.safeParse(client).success).toBe(true);
    expect(serverMessageSchema.safeParse(server).success).toBe(true);
    for (const m of [client, server]) expect(JSON.stringify(m).length).toBeLessThanOrEqual(MAX_WS_MESSAGE_BYTES);
  });

  it('refuses a handshake past HANDSHAKE_MAX_BYTES, empty or not base64url, and a negative or fractional epoch', () => {
    const ok = { v: PROTOCOL_VERSION, type: 'commit', room: ROOM, ref: 1, epoch: 0, data: 'AQID' };
    expect(clientMessageSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { data: `${MAX}A` },
      { welcome: `${MAX}A` },
      { data: '' },
      { data: 'AQ==' },
      { welcome: 'a b' },
      { epoch: -1 },
      { epoch: 1.5 },
    ]) {
      expect(clientMessageSchema.safeParse({ ...ok, ...bad }).success, JSON.stringify(bad).slice(0, 40)).toBe(false);
    }
  });

  it('carries the room epoch on stale_epoch errors and on joined', () => {
    expect(serverMessageSchema.safeParse({ v: PROTOCOL_VERSION, type: 'error', code: 'stale_epoch', message: 'm', ref: 3, epoch: 4 }).success).toBe(true);
    const joined = { v: PROTOCOL_VERSION, type: 'joined', room: ROOM, member: MEMBER, members: [], seq: 0, expiresAt: 1 };
    expect(serverMessageSchema.safeParse(joined).success).toBe(false);
    expect(serverMessageSchema.safeParse({ ...joined, epoch: 0 }).success).toBe(true);
  });
});
