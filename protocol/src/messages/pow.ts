import { z } from 'zod';

/**
 * GET /api/pow → a proof-of-work challenge. `challenge` is opaque to the
 * client (the relay may encode an id, difficulty, expiry and a MAC in it).
 * The work is split into `subPuzzles` independent puzzles, each needing
 * `difficulty - log2(subPuzzles)` leading zero bits, so the total expected
 * work is 2^difficulty hashes with far less variance than one puzzle.
 */
export const powChallengeSchema = z.object({
  challenge: z.string().min(16).max(512).regex(/^[\w.-]+$/),
  difficulty: z.number().int().min(1).max(40),
  subPuzzles: z.number().int().min(1).max(64).refine((k) => (k & (k - 1)) === 0, 'must be a power of two'),
  expiresAt: z.number().int(),
});
export type PowChallenge = z.infer<typeof powChallengeSchema>;

/** A solution: one nonce per sub-puzzle, in order. */
export const powSolutionSchema = z.object({
  challenge: z.string().min(16).max(512),
  nonces: z.array(z.number().int().min(0).max(0xffffffff)).min(1).max(64),
});
export type PowSolution = z.infer<typeof powSolutionSchema>;
