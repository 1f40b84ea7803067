import { describe, expect, it } from 'vitest';
import { clientMessageSchema, CLIENT_MESSAGE_TYPES } from '../../../protocol/src/client-message.js';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { parseClientText } from './parse-message.js';

const parse = (msg: unknown) => parseClientText(JSON.stringify(msg), clientMessageSchema, CLIENT_MESSAGE_TYPES);

describe('parseClientText', () => {
  it('tells a client of another protocol version which version this relay speaks', () => {
    for (const v of [PROTOCOL_VERSION - 1, PROTOCOL_VERSION + 1]) {
      const r = parse({ v, type: 'leave', room: 'r' });
      expect(r).toMatchObject({ ok: false, code: ErrorCode.UnsupportedVersion, closeCode: CloseCode.ProtocolError });
      expect(!r.ok && r.message).toContain(`version ${PROTOCOL_VERSION}, not ${v}`);
    }
  });

  it('blames the field, not the version, when the version is right or not a number', () => {
    expect(parse({ v: PROTOCOL_VERSION, type: 'join', token: 1 })).toMatchObject({ ok: false, code: ErrorCode.BadRequest });
    expect(parse({ v: String(PROTOCOL_VERSION), type: 'join', token: 'x' })).toMatchObject({ ok: false, code: ErrorCode.BadRequest });
  });
});
