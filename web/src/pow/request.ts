import type { PowWorkerRequest } from './messages.js';

/** Bounds of powChallengeSchema (protocol/src/messages/pow.ts), restated by hand. */
const CHALLENGE = /^[\w.-]{16,512}$/;
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Parses a solver request by hand: the worker's copy of
 * powWorkerRequestSchema (messages.ts, which stays the reference; a test
 * holds the two to the same answers), so the worker carries no zod and
 * starts in a few milliseconds rather than tens on a slow phone. Null for
 * anything else.
 */
export function parseSolveRequest(data: unknown): PowWorkerRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, challenge: c, index } = data as Record<string, unknown>;
  if (type !== 'solve' || typeof c !== 'object' || c === null || !isInt(index, 0, Number.MAX_SAFE_INTEGER)) return null;
  const { challenge, difficulty, subPuzzles } = c as Record<string, unknown>;
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge) || !isInt(difficulty, 1, 40) || !isInt(subPuzzles, 1, 64) || (subPuzzles & (subPuzzles - 1)) !== 0) return null;
  return { type, challenge: { challenge, difficulty, subPuzzles }, index };
}
