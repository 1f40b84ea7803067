import { z } from 'zod';
import { memberIdSchema, refSchema, roomIdSchema, sealedFrameSchema, versionSchema } from './common.js';

/** Client → relay: an opaque sealed frame for everyone else in a joined room. */
export const clientFrameSchema = z.object({
  v: versionSchema,
  type: z.literal('frame'),
  room: roomIdSchema.describe('A room this socket has joined.'),
  ref: refSchema,
  data: sealedFrameSchema,
}).describe('Client → relay: a sealed frame for every other member of a joined room. Answered by `sent`.');
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** Relay → client: a frame from another member (live, or replayed from the backlog), with the room's sequence number. */
export const serverFrameSchema = z.object({
  v: versionSchema,
  type: z.literal('frame'),
  room: roomIdSchema,
  seq: z.number().int().min(1).describe('The room sequence number the relay gave this frame (1, 2, …).'),
  from: memberIdSchema.describe('Pseudonymous member id of the sender.'),
  data: sealedFrameSchema,
}).describe('Relay → client: a sealed frame from another member, live or replayed from the backlog.');
export type ServerFrame = z.infer<typeof serverFrameSchema>;
