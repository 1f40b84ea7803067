import { z } from 'zod';
import { powChallengeSchema } from '../../../protocol/src/messages/pow.js';

/** Main thread → one solver worker: solve sub-puzzle `index` (the page hands out the next one as each is solved). */
export const powWorkerRequestSchema = z.object({
  type: z.literal('solve'),
  challenge: powChallengeSchema.pick({ challenge: true, difficulty: true, subPuzzles: true }),
  index: z.number().int().min(0),
});
export type PowWorkerRequest = z.infer<typeof powWorkerRequestSchema>;

/** Solver worker → main thread. `hashes` counts the current sub-puzzle's work only. */
export const powWorkerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), index: z.number().int(), hashes: z.number().int() }),
  z.object({ type: z.literal('solved'), index: z.number().int(), nonce: z.number().int().min(0).max(0xffffffff), hashes: z.number().int() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type PowWorkerReply = z.infer<typeof powWorkerReplySchema>;
