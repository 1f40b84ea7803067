import { z } from 'zod';
import { errorSchema } from './messages/error.js';
import { signalJoinSchema, signalLeaveSchema, signalStrangerSchema } from './messages/signal-join.js';
import { signalJoinedSchema, signalPeerSchema, signalWaitingSchema } from './messages/signal-joined.js';
import { signalConfirmSchema, signalKeySchema } from './messages/signal-key.js';
import { signalPathSchema } from './messages/signal-path.js';
import { signalDataSchema, signalRtcSchema } from './messages/signal-sealed.js';

/** Every message a client may send on /signal, discriminated by `type`. */
export const signalClientMessageSchema = z.discriminatedUnion('type', [
  signalJoinSchema,
  signalStrangerSchema,
  signalKeySchema,
  signalConfirmSchema,
  signalRtcSchema,
  signalDataSchema,
  signalLeaveSchema,
  signalPathSchema,
]);
export type SignalClientMessage = z.infer<typeof signalClientMessageSchema>;
export const SIGNAL_CLIENT_MESSAGE_TYPES = ['join', 'stranger', 'key', 'confirm', 'rtc', 'data', 'leave', 'path'] as const satisfies readonly SignalClientMessage['type'][];

/** The client messages the relay forwards verbatim (after parsing) to the other peer. */
export type SignalRelayed = Extract<SignalClientMessage, { type: 'key' | 'confirm' | 'rtc' | 'data' }>;

/** Every message the relay sends on /signal, discriminated by `type`. */
export const signalServerMessageSchema = z.discriminatedUnion('type', [
  signalJoinedSchema,
  signalWaitingSchema,
  signalPeerSchema,
  signalKeySchema,
  signalConfirmSchema,
  signalRtcSchema,
  signalDataSchema,
  errorSchema,
]);
export type SignalServerMessage = z.infer<typeof signalServerMessageSchema>;
