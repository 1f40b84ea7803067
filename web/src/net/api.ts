import type { z } from 'zod';
import { httpErrorSchema } from '../../../protocol/src/messages/error.js';

/** An HTTP API failure with the relay's own sentence (or ours when the relay is unreachable). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** POSTs JSON and parses the answer with a protocol schema. */
export async function postJson<T extends z.ZodType>(path: string, body: unknown, schema: T, fetchImpl: typeof fetch = fetch): Promise<z.infer<T>> {
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'The relay cannot be reached. Check your connection and try again.');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = httpErrorSchema.safeParse(json);
    throw err.success
      ? new ApiError(res.status, err.data.error, err.data.message)
      : new ApiError(res.status, 'internal', `The relay answered ${res.status}. Try again in a moment.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, 'internal', 'The relay sent an answer this app does not understand. Reload the page.');
  return parsed.data;
}
