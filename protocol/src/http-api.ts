import { z } from 'zod';
import { ErrorCode } from './codes.js';
import { powChallengeSchema } from './messages/pow.js';
import {
  createGhostRequestSchema,
  createGhostResponseSchema,
  destroyGhostRequestSchema,
  footprintResponseSchema,
} from './messages/ghosts-api.js';
import {
  createRoomRequestSchema,
  createRoomResponseSchema,
  inviteTicketResponseSchema,
  joinTokenRequestSchema,
  joinTokenResponseSchema,
  publicRoomsResponseSchema,
} from './messages/rooms-api.js';
import { iceResponseSchema } from './messages/signal-ice.js';
import { statsResponseSchema } from './messages/stats-api.js';

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

const E = ErrorCode;

export const HTTP_API: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/pow',
    summary: 'A single-use proof-of-work challenge (the puzzle is under "Proof of work" above); its difficulty rises with the creation rate.',
    auth: 'none',
    response: powChallengeSchema,
    status: 200,
    errors: [E.RateLimited, E.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/ghosts',
    summary: 'Create a ghost from a solved challenge and a public signing key; answers the bearer session token once.',
    auth: 'none',
    request: createGhostRequestSchema,
    response: createGhostResponseSchema,
    status: 201,
    errors: [E.BadRequest, E.PowInvalid, E.TooLarge, E.Unavailable],
  },
  {
    method: 'DELETE',
    path: '/api/ghosts/me',
    summary: 'Destroy the ghost now: every key it owns, on every instance, and its sockets. Answers Clear-Site-Data.',
    auth: 'ghost',
    status: 204,
    errors: [E.Unauthorized, E.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/ghosts/me/destroy',
    summary: 'The same as DELETE /api/ghosts/me with the token in the body, for navigator.sendBeacon (panic).',
    auth: 'none',
    request: destroyGhostRequestSchema,
    status: 204,
    errors: [E.BadRequest, E.Unauthorized, E.Unavailable],
  },
  {
    method: 'GET',
    path: '/api/ghosts/me/footprint',
    summary: 'What the relay holds about this ghost right now: each kind of record and when it expires.',
    auth: 'ghost',
    response: footprintResponseSchema,
    status: 200,
    errors: [E.Unauthorized, E.Unavailable],
  },
  {
    method: 'GET',
    path: '/api/rooms',
    summary: 'Public rooms (not private), busiest first, with participant counts and heat.',
    auth: 'none',
    response: publicRoomsResponseSchema,
    status: 200,
    errors: [E.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/rooms',
    summary: 'Register a room by its derived id and the SHA-256 of its access key; a proof of work too when under load.',
    auth: 'ghost',
    request: createRoomRequestSchema,
    response: createRoomResponseSchema,
    status: 201,
    errors: [E.BadRequest, E.Unauthorized, E.RoomExists, E.PowRequired, E.PowInvalid, E.RateLimited, E.TooLarge, E.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/rooms/:id/join-tokens',
    summary:
      'Trade the access key for a single-use join token (60 s) bound to the ghost. A wrong key and a missing room get the same 404. A room with invites also needs a ticket, taken once; a current member needs none, nor (within ROOM_REJOIN_GRACE_SECONDS) a ghost a ticket admitted or one that left.',
    auth: 'ghost',
    request: joinTokenRequestSchema,
    response: joinTokenResponseSchema,
    status: 201,
    errors: [E.BadRequest, E.Unauthorized, E.RoomNotFound, E.InviteRequired, E.RateLimited, E.Unavailable],
  },
  {
    method: 'POST',
    path: '/api/rooms/:id/invites',
    summary: 'A current member mints a rotating invite ticket (30 s) for a room that requires them.',
    auth: 'ghost',
    response: inviteTicketResponseSchema,
    status: 201,
    errors: [E.Unauthorized, E.RoomNotFound, E.RateLimited, E.Unavailable],
  },
  {
    method: 'GET',
    path: '/api/stats',
    summary: 'Aggregate counts only: active ghosts and rooms, messages in the last hour, creation rate, mean session length.',
    auth: 'none',
    response: statsResponseSchema,
    status: 200,
    errors: [E.Unavailable],
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
