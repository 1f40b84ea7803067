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

/** Sends a request and parses the answer with a protocol schema; `bearer` is a ghost's session token. */
export async function requestJson<T extends z.ZodType>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body: unknown,
  schema: T,
  fetchImpl: typeof fetch = fetch,
  bearer?: string,
): Promise<z.infer<T>> {
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'The relay cannot be reached. Check your connection and try again.');
  }
  const json: unknown = res.status === 204 ? null : await res.json().catch(() => null);
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

/** POSTs JSON and parses the answer with a protocol schema. */
export function postJson<T extends z.ZodType>(path: string, body: unknown, schema: T, fetchImpl: typeof fetch = fetch, bearer?: string): Promise<z.infer<T>> {
  return requestJson('POST', path, body, schema, fetchImpl, bearer);
}

/** GETs JSON and parses it with a protocol schema. */
export function getJson<T extends z.ZodType>(path: string, schema: T, fetchImpl: typeof fetch = fetch, bearer?: string): Promise<z.infer<T>> {
  return requestJson('GET', path, undefined, schema, fetchImpl, bearer);
}
