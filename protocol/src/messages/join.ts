import { z } from 'zod';
import { versionSchema } from './common.js';

/** Client → relay: join the room a join token was minted for. */
export const joinSchema = z.object({
  v: versionSchema,
  type: z.literal('join'),
  token: z.string().min(1).max(1024),
});
export type Join = z.infer<typeof joinSchema>;
