import { z } from 'zod';
import { refSchema, roomIdSchema, versionSchema } from './common.js';

/** Relay → sender: a frame was accepted, numbered and handed to `delivered` members. */
export const sentSchema = z.object({
  v: versionSchema,
  type: z.literal('sent'),
  room: roomIdSchema,
  ref: refSchema,
  seq: z.number().int().min(1).describe('The sequence number the frame got.'),
  delivered: z.number().int().min(0).describe('How many other members the relay handed the frame to.'),
}).describe('Relay → sender: the frame was numbered and handed to `delivered` other members.');
export type Sent = z.infer<typeof sentSchema>;
