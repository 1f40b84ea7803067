import { z } from 'zod';
import { ROOM_MAX_BACKLOG, ROOM_MAX_CAPACITY, ROOM_MAX_TTL_SECONDS } from '../limits.js';
import { base64urlLength, roomIdSchema } from './common.js';

const B64URL = /^[A-Za-z0-9_-]+$/;
/** base64url of 32 bytes: an access key or its SHA-256. */
const key32Schema = z.string().length(base64urlLength(32)).regex(B64URL);

/** POST /api/rooms — register a room by its derived id and the hash of its access key. */
export const createRoomRequestSchema = z.object({
  roomId: roomIdSchema,
  accessKeyHash: key32Schema.describe('base64url(SHA-256(access key)): what the relay checks join-token requests against.'),
  ttlSeconds: z.number().int().min(60).max(ROOM_MAX_TTL_SECONDS).optional().describe('Room life in seconds (default ROOM_DEFAULT_TTL_SECONDS).'),
  capacity: z.number().int().min(2).max(ROOM_MAX_CAPACITY).optional().describe('Most members at once (default ROOM_DEFAULT_CAPACITY).'),
  backlog: z
    .number()
    .int()
    .min(0)
    .max(ROOM_MAX_BACKLOG)
    .optional()
    .describe('Keep the last N sealed frames for late joiners and reconnects (0, the default: pure relay, no history).'),
  backlogTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(ROOM_MAX_TTL_SECONDS)
    .optional()
    .describe("How long each backlog frame is kept; never past the room's end (the default)."),
});
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;

export const createRoomResponseSchema = z.object({
  roomId: roomIdSchema,
  capacity: z.number().int().describe('Most members at once.'),
  expiresAt: z.number().int().describe('When the room ends, epoch milliseconds.'),
  backlog: z.number().int().describe('Frames the backlog keeps (0: none).'),
});
export type CreateRoomResponse = z.infer<typeof createRoomResponseSchema>;

/** POST /api/rooms/:id/join-tokens — trade the access key for a single-use join token. */
export const joinTokenRequestSchema = z.object({
  accessKey: key32Schema.describe('The access key derived from the room secret, base64url.'),
});
export type JoinTokenRequest = z.infer<typeof joinTokenRequestSchema>;

export const joinTokenResponseSchema = z.object({
  token: z.string().describe('Opaque single-use join token: send it in `join` on /ws.'),
  expiresAt: z.number().int().describe('When the token stops working, epoch milliseconds.'),
});
export type JoinTokenResponse = z.infer<typeof joinTokenResponseSchema>;
