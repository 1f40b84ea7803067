import { z } from 'zod';
import { powChallengeSchema } from '../../../protocol/src/messages/pow.js';

/** Main thread → solver worker. */
export const powWorkerRequestSchema = z.object({
  type: z.literal('solve'),
  challenge: powChallengeSchema.pick({ challenge: true, difficulty: true, subPuzzles: true }),
});
export type PowWorkerRequest = z.infer<typeof powWorkerRequestSchema>;

/** Solver worker → main thread. */
export const powWorkerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), solved: z.number().int(), total: z.number().int(), hashes: z.number().int(), ms: z.number() }),
  z.object({ type: z.literal('done'), nonces: z.array(z.number().int()), hashes: z.number().int(), ms: z.number() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type PowWorkerReply = z.infer<typeof powWorkerReplySchema>;
