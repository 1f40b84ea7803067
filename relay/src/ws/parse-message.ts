import type { z } from 'zod';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { MAX_WS_MESSAGE_BYTES } from '../../../protocol/src/limits.js';

export type Parsed<T> = { ok: true; msg: T } | { ok: false; code: ErrorCode; message: string; closeCode: CloseCode };

/**
 * Turns one text frame from a client into a typed message, or into the typed
 * error and named close code the protocol gives each kind of bad input
 * (too large, not JSON, unknown type, invalid fields). /ws and /signal both
 * answer bad input this way.
 */
export function parseClientText<S extends z.ZodType<{ type: string }>>(raw: string, schema: S, types: readonly string[]): Parsed<z.infer<S>> {
  // `ws` already refuses messages past maxPayload (close 1009); this guards a relay built without it.
  if (raw.length > MAX_WS_MESSAGE_BYTES) {
    return { ok: false, code: ErrorCode.TooLarge, message: 'That message is larger than the protocol allows.', closeCode: CloseCode.TooLarge };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, code: ErrorCode.InvalidJson, message: 'Frames must be JSON text.', closeCode: CloseCode.ProtocolError };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, msg: parsed.data };
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !types.includes(type)) {
    return { ok: false, code: ErrorCode.UnknownType, message: `Unknown message type; expected one of ${types.join(', ')}.`, closeCode: CloseCode.ProtocolError };
  }
  const first = parsed.error.issues[0];
  return {
    ok: false,
    code: ErrorCode.BadRequest,
    message: `Invalid ${type} message: ${first?.path.join('.') || 'message'}: ${first?.message ?? 'bad value'}.`,
    closeCode: CloseCode.ProtocolError,
  };
}
