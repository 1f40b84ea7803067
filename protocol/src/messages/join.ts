import { z } from 'zod';
import { versionSchema } from './common.js';

/** Client → relay: join the room a join token was minted for. */
export const joinSchema = z.object({
  v: versionSchema,
  type: z.literal('join'),
  token: z.string().min(1).max(1024).describe('A single-use join token from POST /api/rooms/:id/join-tokens.'),
  lastSeq: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The last room sequence number this client saw (on a reconnect): backlog frames after it are replayed.'),
}).describe('Client → relay: join the room a join token was minted for. Answered by `joined` (then any backlog replay), or an `error` and a close.');
export type Join = z.infer<typeof joinSchema>;
