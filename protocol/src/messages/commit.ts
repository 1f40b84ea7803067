import { z } from 'zod';
import { epochSchema, handshakeSchema, memberIdSchema, refSchema, roomIdSchema, versionSchema } from './common.js';

/** Client → relay: an MLS commit (RFC 9420) made in `epoch`, with an optional Welcome for members it adds. */
export const clientCommitSchema = z.object({
  v: versionSchema,
  type: z.literal('commit'),
  room: roomIdSchema.describe('A room this socket has joined.'),
  ref: refSchema,
  epoch: epochSchema.describe('The epoch the commit was made in: the room\'s current one, or the relay refuses it with `stale_epoch`.'),
  data: handshakeSchema.describe('The MLS commit (an MLSMessage), opaque to the relay.'),
  welcome: handshakeSchema.optional().describe('The MLS Welcome for members the commit adds, opaque to the relay.'),
}).describe('Client → relay: a handshake (MLS commit) for a joined room. The relay accepts one commit per epoch: answered by `committed`, or by a `stale_epoch` error.');
export type ClientCommit = z.infer<typeof clientCommitSchema>;

/** Relay → client: a commit the relay accepted, numbered in the room's one sequence (shared with frames). */
export const serverCommitSchema = z.object({
  v: versionSchema,
  type: z.literal('commit'),
  room: roomIdSchema,
  seq: z.number().int().min(1).describe('The room sequence number the relay gave this commit (one sequence with frames).'),
  from: memberIdSchema.describe('Pseudonymous member id of the committer.'),
  epoch: epochSchema.describe('The epoch the commit was made in; the room is at epoch + 1 after it.'),
  data: handshakeSchema.describe('The MLS commit, as the committer sent it.'),
  welcome: handshakeSchema.optional().describe('The MLS Welcome, as the committer sent it.'),
}).describe('Relay → client: the commit the relay accepted for an epoch, live or replayed from the backlog. Apply commits in `seq` order.');
export type ServerCommit = z.infer<typeof serverCommitSchema>;
