import { z } from 'zod';
import { roomIdSchema, versionSchema } from './common.js';

/** Client → /signal: enter the direct room whose id was derived from the link secret D. */
export const signalJoinSchema = z.object({
  v: versionSchema,
  type: z.literal('join'),
  room: roomIdSchema,
});
export type SignalJoin = z.infer<typeof signalJoinSchema>;

/** Client → /signal: wait to be paired with a random stranger (no link secret: only the safety number protects). */
export const signalStrangerSchema = z.object({
  v: versionSchema,
  type: z.literal('stranger'),
});
export type SignalStranger = z.infer<typeof signalStrangerSchema>;

/** Client → /signal: leave the direct room (the socket closes after it). */
export const signalLeaveSchema = z.object({
  v: versionSchema,
  type: z.literal('leave'),
});
export type SignalLeave = z.infer<typeof signalLeaveSchema>;
