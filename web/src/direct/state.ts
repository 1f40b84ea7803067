import type { SafetyNumber } from '../../../protocol/src/crypto/direct.js';
import { emptyStats, type AuditEvent, type TrafficStats } from './audit.js';
import type { DirectMessage } from './message-log.js';
import type { Diagnosis } from './nat-diagnostics.js';
import type { PathInfo } from './path.js';

export type DirectPhase = 'starting' | 'waiting' | 'keying' | 'connecting' | 'open' | 'no-path' | 'relayed' | 'refused' | 'closed';

/** Everything the direct page shows about a session: one value, changed only through DirectSession.setState. */
export interface DirectState {
  phase: DirectPhase;
  /** A sentence for the user about the phase, or null. */
  notice: string | null;
  safety: SafetyNumber | null;
  verified: boolean;
  path: PathInfo | null;
  /** What this side's ICE gathering found, path by path (nat-diagnostics.ts). */
  diagnosis: Diagnosis | null;
  /** Whether the relay offers a TURN server (known once GET /api/ice answered). */
  turnAvailable: boolean;
  audit: readonly AuditEvent[];
  messages: readonly DirectMessage[];
  stats: TrafficStats;
  /** Cover traffic runs when either side asked for it. */
  cover: { mine: boolean; theirs: boolean };
  jitter: boolean;
  /** Set once the peer passed its receive budget: how much of theirs was not shown. */
  flood: { dropped: number } | null;
}

export const initialDirectState = (cover: boolean, jitter: boolean): DirectState => ({
  phase: 'starting',
  notice: null,
  safety: null,
  verified: false,
  path: null,
  diagnosis: null,
  turnAvailable: false,
  audit: [],
  messages: [],
  stats: emptyStats(),
  cover: { mine: cover, theirs: false },
  jitter,
  flood: null,
});

/** Whether messages can be sent in this phase. */
export const canSend = (phase: DirectPhase): boolean => phase === 'open' || phase === 'relayed';

/** Whether the other person is (or is being) connected: the link has done its job and its panel goes. */
export const peerPresent = (phase: DirectPhase): boolean => phase === 'keying' || phase === 'connecting' || phase === 'open' || phase === 'no-path' || phase === 'relayed';
