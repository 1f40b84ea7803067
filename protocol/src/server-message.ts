import { z } from 'zod';
import { serverCommitSchema } from './messages/commit.js';
import { committedSchema } from './messages/committed.js';
import { errorSchema } from './messages/error.js';
import { serverFrameSchema } from './messages/frame.js';
import { joinedSchema } from './messages/joined.js';
import { presenceSchema } from './messages/presence.js';
import { sentSchema } from './messages/sent.js';

/** Every message the relay sends on /ws, discriminated by `type`. */
export const serverMessageSchema = z.discriminatedUnion('type', [
  joinedSchema,
  serverFrameSchema,
  sentSchema,
  presenceSchema,
  errorSchema,
  serverCommitSchema,
  committedSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
