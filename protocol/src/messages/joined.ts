import { z } from 'zod';
import { memberIdSchema, roomIdSchema, versionSchema } from './common.js';

/** Relay → client: the join succeeded; who else is here and the room's last sequence number. */
export const joinedSchema = z.object({
  v: versionSchema,
  type: z.literal('joined'),
  room: roomIdSchema,
  member: memberIdSchema,
  members: z.array(memberIdSchema),
  seq: z.number().int().min(0),
  expiresAt: z.number().int(),
});
export type Joined = z.infer<typeof joinedSchema>;
