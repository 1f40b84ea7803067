import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientMessageSchema } from '../../../protocol/src/client-message.js';
import { CHAT_FRAME_BYTES, MEDIA_FRAME_BYTES } from '../../../protocol/src/limits.js';
import { base64urlLength } from '../../../protocol/src/messages/common.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { fastFrame } from './fast-frame.js';

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64 = (n: number) => fc.string({ unit: fc.constantFrom(...Array.from(B64URL_CHARS)), minLength: n, maxLength: n });
const chat = base64urlLength(CHAT_FRAME_BYTES);
const media = base64urlLength(MEDIA_FRAME_BYTES);
const frame = fc.record({
  v: fc.constant(PROTOCOL_VERSION),
  type: fc.constant('frame' as const),
  room: b64(22),
  ref: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  // Random ends around a filler: generating 87k random characters per run is slow, and the reader only looks at the ends.
  data: fc.tuple(b64(8), fc.constantFrom(chat, media), b64(8)).map(([a, n, z]) => a + 'Q'.repeat(n - 16) + z),
});

/** What the schema path makes of the same text, or undefined where it refuses it. */
function viaSchema(raw: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const r = clientMessageSchema.safeParse(json);
  return r.success ? r.data : undefined;
}

describe('fastFrame', () => {
  it('reads the PWA’s own encoding of a frame to the same value as the schema', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const raw = JSON.stringify(f);
        expect(fastFrame(raw)).toEqual(f);
        expect(viaSchema(raw)).toEqual(f);
      }),
      { numRuns: 50 },
    );
  });

  it('accepts nothing the schema refuses, and reads what it accepts the same way, whatever one character is changed, added or cut', () => {
    fc.assert(
      fc.property(frame, fc.nat(), fc.string({ minLength: 0, maxLength: 2 }), fc.nat({ max: 2 }), (f, pos, insert, cut) => {
        const good = JSON.stringify(f);
        // Mostly near the two ends, where the reader's checks are.
        const at = pos % 2 === 0 ? (pos >> 1) % 80 : good.length - 1 - ((pos >> 1) % 12);
        const raw = good.slice(0, at) + insert + good.slice(at + cut);
        const fast = fastFrame(raw);
        if (fast !== undefined) expect(fast).toEqual(viaSchema(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves the edge cases of ref and data to the schema', () => {
    const room = 'A'.repeat(22);
    const data = 'A'.repeat(chat);
    const raw = (ref: string, d = data) => `{"v":${PROTOCOL_VERSION},"type":"frame","room":"${room}","ref":${ref},"data":"${d}"}`;
    expect(fastFrame(raw('0'))?.ref).toBe(0);
    expect(fastFrame(raw(String(2 ** 31 - 1)))?.ref).toBe(2 ** 31 - 1);
    for (const bad of [String(2 ** 31), '01', '-1', '1.5', '1e3', '', '99999999999']) expect(fastFrame(raw(bad))).toBeUndefined();
    expect(fastFrame(raw('1', data.slice(1)))).toBeUndefined();
    expect(fastFrame(raw('1', data.slice(1) + '='))).toBeUndefined();
    expect(fastFrame(raw('1', data.slice(1) + '"'))).toBeUndefined();
    expect(fastFrame(raw('1', `${data.slice(2)}\\u0041`))).toBeUndefined();
    expect(fastFrame(raw('1').replace(`"v":${PROTOCOL_VERSION}`, `"v":${PROTOCOL_VERSION + 1}`))).toBeUndefined();
    expect(fastFrame(` ${raw('1')}`)).toBeUndefined();
    expect(fastFrame(`${raw('1')} `)).toBeUndefined();
  });
});
