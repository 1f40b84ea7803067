import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';

/**
 * What the direct page says about the relay's errors and closes: our own
 * sentences keyed by code, so no relay-supplied or exception text reaches
 * the screen (a relay is not trusted to write the app's words).
 */
export function signalErrorSentence(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.NoPeer:
      return 'The other person is not connected to the relay right now, so that did not reach them. Wait for them to come back.';
    case ErrorCode.RateLimited:
    case ErrorCode.SlowConsumer:
      return 'The relay is slowing this session down. Wait a moment; if it stops working, leave and open the link again.';
    case ErrorCode.RoomFull:
      return 'Two people are already in this direct session. Ask for a new direct link.';
    case ErrorCode.RoomNotFound:
      return 'This direct session is no longer on the relay. Create a new direct link.';
    case ErrorCode.Unavailable:
      return 'The relay is busy right now. Try again in a minute.';
    default:
      return 'The relay refused a message of this session. If messages stop arriving, leave and open the link again.';
  }
}

/** The sentence for a closed /signal socket, before a direct path opened. */
export function signalCloseSentence(code: number): string {
  if (code === CloseCode.RoomFull) return 'Two people are already in this direct session. Ask for a new direct link.';
  if (code === CloseCode.RoomGone) return 'This direct session ran out of time on the relay. Create a new direct link.';
  return 'The connection to the signaling relay closed. Open the link again to retry.';
}

/** Damaged link, for join(). */
export const DAMAGED_LINK = 'This direct link is damaged. Ask for the link again.';
/** Anything unexpected while starting (network down, relay unreachable). */
export const START_FAILED = 'Could not reach the relay to start the session. Check your connection and try again.';
/** Hide my IP with no TURN server on this relay. */
export const NO_TURN =
  'Hide my IP needs a TURN server, and this relay has none: no peer-to-peer path can connect. You can talk through the relay instead, with the same end-to-end key (the relay sees when and how much you send, never what).';
