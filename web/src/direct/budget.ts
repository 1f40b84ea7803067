import {
  DIRECT_FRAME_BYTES,
  DIRECT_PEER_BYTES_BURST,
  DIRECT_PEER_BYTES_PER_SECOND,
  DIRECT_PEER_MESSAGE_BURST,
  DIRECT_PEER_MESSAGES_PER_SECOND,
} from '../../../protocol/src/limits.js';

/** A token bucket's state: `tokens` as of time `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Refills `b` at `perSecond` up to `burst` since its last use, then takes
 * `cost` if there is enough (mutating `b`); false, taking nothing, if not.
 */
export function takeTokens(b: Bucket, cost: number, perSecond: number, burst: number, now: number): boolean {
  b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
  b.at = now;
  if (b.tokens < cost) return false;
  b.tokens -= cost;
  return true;
}

/**
 * What one direct peer may make this page do: frames (in bytes) it will
 * open, and messages it will show. Past either, the excess is dropped and
 * counted; the budget refills by itself, so an honest burst recovers.
 */
export class PeerBudget {
  private readonly bytes: Bucket;
  private readonly messages: Bucket;

  constructor(private readonly now: () => number = () => performance.now()) {
    const t = now();
    this.bytes = { tokens: DIRECT_PEER_BYTES_BURST, at: t };
    this.messages = { tokens: DIRECT_PEER_MESSAGE_BURST, at: t };
  }

  /** Whether to open one more frame from the peer (checked before any decryption). */
  frame(bytes = DIRECT_FRAME_BYTES): boolean {
    return takeTokens(this.bytes, bytes, DIRECT_PEER_BYTES_PER_SECOND, DIRECT_PEER_BYTES_BURST, this.now());
  }

  /** Whether to show one more message from the peer. */
  message(): boolean {
    return takeTokens(this.messages, 1, DIRECT_PEER_MESSAGES_PER_SECOND, DIRECT_PEER_MESSAGE_BURST, this.now());
  }
}
