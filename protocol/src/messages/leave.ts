import { z } from 'zod';
import { roomIdSchema, versionSchema } from './common.js';

/** Client → relay: leave a joined room (the socket stays open). */
export const leaveSchema = z.object({
  v: versionSchema,
  type: z.literal('leave'),
  room: roomIdSchema.describe('A room this socket has joined; leaving a room not joined is ignored.'),
}).describe('Client → relay: leave a joined room; the socket stays open for others.');
export type Leave = z.infer<typeof leaveSchema>;
