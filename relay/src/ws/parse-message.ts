import type { z } from 'zod';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { MAX_WS_MESSAGE_BYTES } from '../../../protocol/src/limits.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';

export type Parsed<T> = { ok: true; msg: T } | { ok: false; code: ErrorCode; message: string; closeCode: CloseCode };

/**
 * Turns one text frame from a client into a typed message, or into the typed
 * error and named close code the protocol gives each kind of bad input
 * (too large, not JSON, another protocol version, unknown type, invalid
 * fields). /ws and /signal both
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
  // An app from another release (a stale cached shell, a newer client) says so by its `v`: tell it which, rather than blame a field.
  const v = (json as { v?: unknown } | null)?.v;
  if (typeof v === 'number' && v !== PROTOCOL_VERSION) {
    return { ok: false, code: ErrorCode.UnsupportedVersion, message: `This relay speaks protocol version ${PROTOCOL_VERSION}, not ${v}. Reload the app to update it.`, closeCode: CloseCode.ProtocolError };
  }
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
