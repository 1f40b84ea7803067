import { z } from 'zod';
import { clientMessageSchema } from './client-message.js';
import { CloseCode, ErrorCode } from './codes.js';
import { roomContentSchema } from './content.js';
import { HTTP_API } from './http-api.js';
import * as limits from './limits.js';
import { httpErrorSchema } from './messages/error.js';
import * as powApi from './messages/pow.js';
import * as ghostsApi from './messages/ghosts-api.js';
import * as roomsApi from './messages/rooms-api.js';
import * as statsApi from './messages/stats-api.js';
import { serverMessageSchema } from './server-message.js';
import { directContentSchema } from './direct-content.js';
import * as iceApi from './messages/signal-ice.js';
import { signalClientMessageSchema, signalServerMessageSchema } from './signal-message.js';
import { sha256, toBase64url, utf8 } from './crypto/bytes.js';

/** JSON with object keys sorted, so the hash does not depend on declaration order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Everything that crosses the wire, as one JSON document. */
export function wireDescription(): unknown {
  const api = Object.fromEntries(
    Object.entries({ ...roomsApi, ...powApi, ...iceApi, ...ghostsApi, ...statsApi })
      .filter(([, s]) => s instanceof z.ZodType)
      .map(([k, s]) => [k, z.toJSONSchema(s as z.ZodType, { unrepresentable: 'any' })]),
  );
  return {
    client: z.toJSONSchema(clientMessageSchema, { unrepresentable: 'any' }),
    server: z.toJSONSchema(serverMessageSchema, { unrepresentable: 'any' }),
    content: z.toJSONSchema(roomContentSchema, { unrepresentable: 'any' }),
    signalClient: z.toJSONSchema(signalClientMessageSchema, { unrepresentable: 'any' }),
    signalServer: z.toJSONSchema(signalServerMessageSchema, { unrepresentable: 'any' }),
    directContent: z.toJSONSchema(directContentSchema, { unrepresentable: 'any' }),
    httpError: z.toJSONSchema(httpErrorSchema, { unrepresentable: 'any' }),
    api,
    endpoints: HTTP_API.map((e) => ({
      ...e,
      request: e.request && z.toJSONSchema(e.request, { unrepresentable: 'any' }),
      response: e.response && z.toJSONSchema(e.response, { unrepresentable: 'any' }),
    })),
    codes: { CloseCode, ErrorCode },
    limits: { ...limits },
  };
}

/** A short hash of the whole wire description. */
export async function wireSchemaHash(): Promise<string> {
  return toBase64url(await sha256(utf8(canonical(wireDescription())))).slice(0, 16);
}
