import type { Context } from 'hono';
import type { z } from 'zod';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { RelayError } from '../errors.js';

/** Largest JSON body the HTTP API reads. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/** Reads a JSON body and parses it with a protocol schema, or throws a 400 that says which field is wrong. */
export async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw new RelayError(413, ErrorCode.TooLarge, 'The request body is too large.');
  let json: unknown;
  try {
    json = JSON.parse(text);
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
