import { z } from 'zod';
import { epochSchema, memberIdSchema, roomIdSchema, versionSchema } from './common.js';

/** Relay → client: the join succeeded; who else is here and the room's last sequence number. */
export const joinedSchema = z.object({
  v: versionSchema,
  type: z.literal('joined'),
  room: roomIdSchema,
  member: memberIdSchema.describe('Your member id in this room, fresh on every join.'),
  members: z.array(memberIdSchema).describe('The other members present now.'),
  seq: z.number().int().min(0).describe('The room sequence number of the newest frame (0: none yet).'),
  expiresAt: z.number().int().describe('When the room ends, epoch milliseconds.'),
  epoch: epochSchema.describe("The room's current MLS epoch: the epoch the next commit must be made in."),
}).describe('Relay → client: the join succeeded.');
export type Joined = z.infer<typeof joinedSchema>;
