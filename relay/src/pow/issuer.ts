import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { POW_CHALLENGE_TTL_SECONDS } from '../../../protocol/src/limits.js';
import type { PowChallenge, PowSolution } from '../../../protocol/src/messages/pow.js';
import { verifyPow } from '../../../protocol/src/pow.js';
import type { Config } from '../config.js';
import { RelayError } from '../errors.js';
import type { Store } from '../store/store.js';

/** Sub-puzzles per challenge: the relay verifies with this many hashes, and solve times vary far less than with one puzzle. */
export const POW_SUB_PUZZLES = 16;
/** How long a computed difficulty is reused before the creation rate is read again. */
const DIFFICULTY_CACHE_MS = 1000;
const MAC_BYTES = 16;

const invalid = (why: string) => new RelayError(403, ErrorCode.PowInvalid, `${why} Fetch a new challenge from /api/pow and solve it again.`);

/** Extra bits for a creation rate: one per doubling past the configured rate. */
export function extraBits(ratePerMinute: number, threshold: number): number {
  return ratePerMinute > threshold ? Math.ceil(Math.log2(ratePerMinute / threshold)) : 0;
}

/**
 * Issues and checks proof-of-work challenges. A challenge is stateless and
 * opaque to clients: `v1.<id>.<difficulty>.<subPuzzles>.<expiry s>.<HMAC>`;
 * spending one claims its id in the store (single use, across instances).
 */
export class PowIssuer {
  private readonly key: Buffer;
  private cached: { at: number; bits: number } | undefined;

  constructor(
    secret: Buffer,
    private readonly store: Store,
    private readonly cfg: Config['pow'],
    private readonly now: () => number = Date.now,
  ) {
    // Its own key, so a PoW MAC can never pass as a join-token MAC.
    this.key = createHmac('sha256', secret).update('ghostwire/pow-challenge/v1').digest();
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES).toString('base64url');
  }

  /** The current difficulty: the base, plus a bit per doubling of the creation rate past the threshold. */
  async difficulty(): Promise<number> {
    const now = this.now();
    if (this.cached && now - this.cached.at < DIFFICULTY_CACHE_MS) return this.cached.bits;
    // Last minute plus the part of this one gone so far.
    const count = await this.store.recentCount('create', now, 1);
    const minutes = 1 + (now % 60_000) / 60_000;
    const bits = Math.min(this.cfg.maxDifficulty, this.cfg.baseDifficulty + extraBits(count / minutes, this.cfg.ratePerMinute));
    this.cached = { at: now, bits };
    return bits;
  }

  /** Whether creations are coming faster than the configured rate (rooms then need a proof of work too). */
  async underLoad(): Promise<boolean> {
    return (await this.difficulty()) > this.cfg.baseDifficulty;
  }

  async issue(): Promise<PowChallenge> {
    const difficulty = await this.difficulty();
    const expiresAt = Math.floor(this.now() / 1000) + POW_CHALLENGE_TTL_SECONDS;
    const body = `v1.${randomBytes(16).toString('base64url')}.${difficulty}.${POW_SUB_PUZZLES}.${expiresAt}`;
    return { challenge: `${body}.${this.mac(body)}`, difficulty, subPuzzles: POW_SUB_PUZZLES, expiresAt: expiresAt * 1000 };
  }

  /** Checks a solution and spends its challenge; throws a 403 `pow_invalid` that says why otherwise. */
  async spend(solution: PowSolution): Promise<void> {
    const parts = solution.challenge.split('.');
    const [v, id, d, k, x, mac] = parts;
    if (parts.length !== 6 || v !== 'v1' || !id || !mac) throw invalid('That is not a challenge from this relay.');
    const expected = Buffer.from(this.mac(parts.slice(0, 5).join('.')));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('That is not a challenge from this relay.');
    const expiresAt = Number(x) * 1000;
    if (!(expiresAt > this.now())) throw invalid('That challenge has expired.');
    if (!verifyPow({ challenge: solution.challenge, difficulty: Number(d), subPuzzles: Number(k) }, solution.nonces)) {
      throw invalid('That proof of work is wrong.');
    }
    // Claimed only after the work checks out, and for as long as the challenge could still be presented.
    if (!(await this.store.claimOnce(`pow:${id}`, expiresAt - this.now() + 1000))) throw invalid('That challenge was already used.');
  }
}
