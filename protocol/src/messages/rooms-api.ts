import { z } from 'zod';
import { PUBLIC_ROOMS_LIST_MAX, ROOM_MAX_BACKLOG, ROOM_MAX_CAPACITY, ROOM_MAX_TTL_SECONDS, ROOM_META_MAX_CHARS } from '../limits.js';
import { base64urlLength, roomIdSchema } from './common.js';
import { powSolutionSchema } from './pow.js';

const B64URL = /^[A-Za-z0-9_-]+$/;
/** base64url of 32 bytes: an access key or its SHA-256. */
const key32Schema = z.string().length(base64urlLength(32)).regex(B64URL);

/** Opaque room metadata (an encrypted name for private rooms); the relay stores and returns it untouched. */
export const roomMetaSchema = z.string().min(1).max(ROOM_META_MAX_CHARS).regex(B64URL);

/** POST /api/rooms — register a room by its derived id and the hash of its access key (needs a ghost). */
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
  /** Listed in GET /api/rooms (a public room is not private: its key derives from its public id). */
  public: z.boolean().optional(),
  /** Joining also needs a fresh invite ticket minted by a member (rotating QR). */
  invites: z.boolean().optional(),
  meta: roomMetaSchema.optional(),
  /** Needed only when the relay answers `pow_required` (under load). */
  pow: powSolutionSchema.optional(),
});
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;

export const createRoomResponseSchema = z.object({
  roomId: roomIdSchema,
  capacity: z.number().int().describe('Most members at once.'),
  expiresAt: z.number().int().describe('When the room ends, epoch milliseconds.'),
  backlog: z.number().int().describe('Frames the backlog keeps (0: none).'),
  /** For a room with rotating invites: the creator's own first ticket (nobody is a member yet to mint one). */
  ticket: z.string().optional(),
});
export type CreateRoomResponse = z.infer<typeof createRoomResponseSchema>;

/** POST /api/rooms/:id/join-tokens — trade the access key (and a ticket, if the room asks) for a single-use join token. */
export const joinTokenRequestSchema = z.object({
  accessKey: key32Schema.describe('The access key derived from the room secret, base64url.'),
  ticket: z
    .string()
    .min(16)
    .max(256)
    .optional()
    .describe("A room with invites: a ticket from the invite link's fragment (`#<S>.<ticket>`), good once and for INVITE_TICKET_TTL_SECONDS. Not needed by a current member, nor within ROOM_REJOIN_GRACE_SECONDS by a ghost a ticket admitted or one that left."),
});
export type JoinTokenRequest = z.infer<typeof joinTokenRequestSchema>;

export const joinTokenResponseSchema = z.object({
  token: z.string().describe('Opaque single-use join token: send it in `join` on /ws.'),
  expiresAt: z.number().int().describe('When the token stops working, epoch milliseconds.'),
  meta: roomMetaSchema.optional().describe("The room's meta as its creator set it (a private room's name, sealed under the content key), for the joiner to read."),
});
export type JoinTokenResponse = z.infer<typeof joinTokenResponseSchema>;

/** POST /api/rooms/:id/invites — a member mints a short-lived invite ticket (INVITE_TICKET_TTL_SECONDS). */
export const inviteTicketResponseSchema = z.object({
  ticket: z.string(),
  expiresAt: z.number().int(),
});
export type InviteTicketResponse = z.infer<typeof inviteTicketResponseSchema>;

/** GET /api/rooms — the public lobby: busiest first, at most PUBLIC_ROOMS_LIST_MAX. */
export const publicRoomsResponseSchema = z.object({
  rooms: z
    .array(
      z.object({
        roomId: roomIdSchema,
        meta: roomMetaSchema.optional(),
        participants: z.number().int().min(0),
        capacity: z.number().int(),
        /** 0–1: how busy the room is, decaying with its message rate. */
        heat: z.number().min(0).max(1),
        expiresAt: z.number().int(),
      }),
    )
    .max(PUBLIC_ROOMS_LIST_MAX),
});
export type PublicRoomsResponse = z.infer<typeof publicRoomsResponseSchema>;
