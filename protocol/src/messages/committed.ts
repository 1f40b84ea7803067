import { z } from 'zod';
import { epochSchema, refSchema, roomIdSchema, versionSchema } from './common.js';

/** Relay → committer: its commit won its epoch, was numbered and handed to `delivered` members. */
export const committedSchema = z.object({
  v: versionSchema,
  type: z.literal('committed'),
  room: roomIdSchema,
  ref: refSchema,
  seq: z.number().int().min(1).describe('The sequence number the commit got.'),
  epoch: epochSchema.describe('The room\'s new epoch (the commit\'s epoch + 1).'),
  delivered: z.number().int().min(0).describe('How many other members the relay handed the commit to.'),
}).describe('Relay → committer: the commit was accepted for its epoch; the room is now at `epoch`.');
export type Committed = z.infer<typeof committedSchema>;
