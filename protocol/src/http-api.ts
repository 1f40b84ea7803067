import { z } from 'zod';
import { ErrorCode } from './codes.js';
import { powChallengeSchema } from './messages/pow.js';
import {
  createRoomRequestSchema,
  createRoomResponseSchema,
  joinTokenRequestSchema,
  joinTokenResponseSchema,
} from './messages/rooms-api.js';
import { iceResponseSchema } from './messages/signal-ice.js';

/**
 * Every HTTP endpoint of the relay, in one table: protocol/README.md is
 * generated from it, the schema hash covers it, and the relay's routes parse
 * with the same schemas. Add an endpoint here first, then implement it.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  summary: string;
  /** `ghost`: needs `Authorization: Bearer <session token>`. */
  auth: 'none' | 'ghost';
  request?: z.ZodType;
  response?: z.ZodType;
  /** Status of a successful answer. */
  status: number;
  /** Error codes this endpoint may answer with (body: `{ error, message }`). */
  errors: ErrorCode[];
}

/** GET /live: the process answers. */
export const liveSchema = z.object({ status: z.literal('ok') });
/** GET /ready: the store answers and the instance is not draining (else 503 with the same body). */
export const readinessSchema = z.object({ ready: z.boolean(), store: z.enum(['ok', 'unreachable']), draining: z.boolean() });
export type Readiness = z.infer<typeof readinessSchema>;
/** GET /health: a summary for people (503 while the store is unreachable). */
export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  store: z.enum(['memory', 'redis']),
  storeStatus: z.enum(['ok', 'unreachable']),
  draining: z.boolean(),
  uptimeSeconds: z.number().int().nonnegative(),
});
export type Health = z.infer<typeof healthSchema>;

export const HTTP_API: Endpoint[] = [
  {
    method: 'POST',
    path: '/api/rooms',
    summary: 'Register a room by its derived id and the SHA-256 of its access key.',
    auth: 'none',
    request: createRoomRequestSchema,
    response: createRoomResponseSchema,
    status: 201,
    errors: [ErrorCode.BadRequest, ErrorCode.RoomExists, ErrorCode.TooLarge, ErrorCode.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/rooms/:id/join-tokens',
    summary: 'Trade the access key for a single-use join token (60 s). A wrong key and a missing room get the same 404.',
    auth: 'none',
    request: joinTokenRequestSchema,
    response: joinTokenResponseSchema,
    status: 201,
    errors: [ErrorCode.BadRequest, ErrorCode.RoomNotFound, ErrorCode.Unavailable],
  },
  {
    method: 'GET',
    path: '/api/pow',
    summary: 'A proof-of-work challenge (see protocol/src/pow.ts for the puzzle).',
    auth: 'none',
    response: powChallengeSchema,
    status: 200,
    errors: [ErrorCode.RateLimited, ErrorCode.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/wipe',
    summary: 'Answers 204 with `Clear-Site-Data: "cache", "storage"`: the browser clears this origin (after the app wiped itself). No body either way.',
    auth: 'none',
    status: 204,
    errors: [ErrorCode.ForbiddenOrigin],
  },
  {
    method: 'GET',
    path: '/live',
    summary: 'Liveness: the process answers (container HEALTHCHECK).',
    auth: 'none',
    response: liveSchema,
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/ready',
    summary: 'Readiness: the store answers and the instance is not draining; 503 otherwise (load balancers route on this).',
    auth: 'none',
    response: readinessSchema,
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/ice',
    summary: 'ICE servers for direct mode: STUN URLs and TURN with short-lived credentials (TURN REST scheme, coturn use-auth-secret).',
    auth: 'none',
    response: iceResponseSchema,
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/health',
    summary: 'A summary for people: store kind and reachability, draining, uptime; 503 while the store is unreachable.',
    auth: 'none',
    response: healthSchema,
    status: 200,
    errors: [],
  },
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Aggregate counters and gauges in the Prometheus text format; `Authorization: Bearer <METRICS_TOKEN>` when that is set.',
    auth: 'none',
    status: 200,
    errors: [ErrorCode.Unauthorized],
  },
];
