import { decodeMlsMessage, type ClientState, type PrivateMessage } from 'ts-mls';
import { timingSafeEqual } from '../crypto/bytes.js';

/** Why a frame did not open. Each is a state the UI can name; none is a stack trace. */
export type MlsOpenError =
  /** Sent in an epoch before we joined: "messages from before you joined cannot be read". */
  | 'epoch_unknown'
  /** Sent in an epoch older than the ones we keep keys for (MLS_RETAINED_EPOCHS). */
  | 'epoch_expired'
  /** Sent in an epoch we have not reached: a commit is missing, so this member must resync. */
  | 'epoch_future'
  /** Did not decrypt or verify: tampered, replayed, not from a member, or our own frame echoed back. */
  | 'forged'
  /** Not an MLS private message of the expected content type. */
  | 'malformed'
  /** For another MLS group. */
  | 'wrong_group'
  /** We were removed: nothing from our removal on can be read. */
  | 'removed';

/** Decodes exactly one MLS private message from the wire, or undefined. */
export function decodePrivate(bytes: Uint8Array): PrivateMessage | undefined {
  let decoded;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch {
    return undefined;
  }
  if (decoded?.[0].wireformat !== 'mls_private_message' || decoded[1] !== bytes.length) return undefined;
  return decoded[0].privateMessage;
}

/**
 * Sorts a frame by epoch before any decryption is tried, so the error says
 * which case it is. `joinedEpoch` is the epoch our Welcome put us in;
 * `removed` says a commit removed us.
 */
export function classifyEpoch(state: ClientState, joinedEpoch: bigint, removed: boolean, pm: PrivateMessage): MlsOpenError | undefined {
  if (!timingSafeEqual(pm.groupId, state.groupContext.groupId)) return 'wrong_group';
  const current = state.groupContext.epoch;
  // A removed member's state stays at the epoch it was removed in: frames of that epoch were sent while it was a member.
  if (removed && pm.epoch > current) return 'removed';
  if (pm.epoch < joinedEpoch) return 'epoch_unknown';
  if (pm.epoch > current) return 'epoch_future';
  if (pm.epoch < current && !state.historicalReceiverData.has(pm.epoch)) return 'epoch_expired';
  return undefined;
}
