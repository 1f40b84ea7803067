import { z } from 'zod';
import { clientCommitSchema } from './messages/commit.js';
import { clientFrameSchema } from './messages/frame.js';
import { joinSchema } from './messages/join.js';
import { leaveSchema } from './messages/leave.js';

/** Every message a client may send on /ws, discriminated by `type`. */
export const clientMessageSchema = z.discriminatedUnion('type', [joinSchema, clientFrameSchema, leaveSchema, clientCommitSchema]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export const CLIENT_MESSAGE_TYPES = ['join', 'frame', 'leave', 'commit'] as const satisfies readonly ClientMessage['type'][];
