import { z } from 'zod';
import { roomIdSchema, versionSchema } from './common.js';

/** /signal → client: you are in the direct room; `peer` says whether the other peer is already there. */
export const signalJoinedSchema = z.object({
  v: versionSchema,
  type: z.literal('joined'),
  room: roomIdSchema,
  peer: z.boolean(),
  /** When the relay forgets this room and closes its sockets (epoch ms). */
  expiresAt: z.number().int(),
});
export type SignalJoined = z.infer<typeof signalJoinedSchema>;

/** /signal → client: a stranger is queued until another stranger arrives (then `joined` follows). */
export const signalWaitingSchema = z.object({
  v: versionSchema,
  type: z.literal('waiting'),
  expiresAt: z.number().int(),
});
export type SignalWaiting = z.infer<typeof signalWaitingSchema>;

/** /signal → client: the other peer arrived or left. */
export const signalPeerSchema = z.object({
  v: versionSchema,
  type: z.literal('peer'),
  event: z.enum(['join', 'leave']),
});
export type SignalPeer = z.infer<typeof signalPeerSchema>;
