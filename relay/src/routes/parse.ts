import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { MAX_HTTP_BODY_BYTES } from '../../../protocol/src/limits.js';
import type { HttpError } from '../../../protocol/src/messages/error.js';
import { RelayError } from '../errors.js';

const TOO_LARGE: HttpError = { error: ErrorCode.TooLarge, message: 'The request body is too large.' };
/** After a 413, how long the rest of an upload is read and thrown away before the connection is dropped. */
const LINGER_MS = 2000;

/**
 * Ends the connection after the 413 without losing it: closing a socket with
 * unread bytes sends a TCP reset, which can make the client drop the 413 it
 * has not read yet. So the relay sends FIN, throws the rest of the upload
 * away as it comes (Node dumps an unread request body; nothing is buffered),
 * and drops the connection after LINGER_MS (Apache's "lingering close").
 */
function lingerClose(env: unknown): void {
  const { incoming, outgoing } = (env ?? {}) as { incoming?: IncomingMessage; outgoing?: ServerResponse };
  if (!incoming || !outgoing) return;
  const socket = incoming.socket;
  outgoing.once('finish', () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

/**
 * Refuses a body past `max` bytes before it is buffered: a declared
 * Content-Length at once, before any of the body is read; a chunked body as
 * soon as the bytes read pass `max`. The connection ends after the 413, so
 * the rest of an upload is not waited for either.
 */
export function boundedBody(max = MAX_HTTP_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize: max,
    onError: (c) => {
      lingerClose(c.env);
      return c.json(TOO_LARGE, 413);
    },
  });
}

/** Reads a JSON body and parses it with a protocol schema, or throws a 400 that says which field is wrong. */
export async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  // boundedBody has already refused anything larger; this counts bytes again for a route mounted without it.
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_HTTP_BODY_BYTES) throw new RelayError(413, TOO_LARGE.error, TOO_LARGE.message);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RelayError(400, ErrorCode.BadRequest, 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'body';
    throw new RelayError(400, ErrorCode.BadRequest, `Invalid request: ${where}: ${first?.message ?? 'does not match the schema'}.`);
  }
  return parsed.data;
}
