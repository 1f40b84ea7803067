import type { z } from 'zod';

/** A relay's text frame as a message of `schema`, or null for binary, non-JSON or anything the schema refuses (dropped, not trusted). */
export function parseServerText<S extends z.ZodType>(data: unknown, schema: S): z.infer<S> | null {
  if (typeof data !== 'string') return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const msg = schema.safeParse(json);
  return msg.success ? msg.data : null;
}
