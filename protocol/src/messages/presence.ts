import { z } from 'zod';
import { memberIdSchema, roomIdSchema, versionSchema } from './common.js';

/**
 * Relay → members: a pseudonymous member joined or left. Member ids are
 * random per join; members announce their signing public keys only inside
 * sealed frames, never to the relay in clear.
 */
export const presenceSchema = z.object({
  v: versionSchema,
  type: z.literal('presence'),
  room: roomIdSchema,
  member: memberIdSchema,
  event: z.enum(['join', 'leave']),
}).describe('Relay → members: a member joined or left (leaving, closing and destroy alike).');
export type Presence = z.infer<typeof presenceSchema>;
