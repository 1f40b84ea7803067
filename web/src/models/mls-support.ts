import { mlsSupported } from '../../../protocol/src/mls/suite.js';
import { UserError } from '../user-message.js';

/** Why a room with forward secrecy cannot be made here, and what to do instead. */
export const MLS_CANNOT_CREATE =
  'This browser cannot make a room with forward secrecy: its WebCrypto lacks Ed25519 or X25519. Update the browser, or untick "Forward secrecy" to make a room whose link is its key.';

/** Why a room with forward secrecy cannot be joined here, and what to do instead. */
export const MLS_CANNOT_JOIN =
  'This room uses forward secrecy, which this browser cannot do: its WebCrypto lacks Ed25519 or X25519. Update the browser, or open the link in a current one.';

/**
 * Refuses, with a sentence that says what to do, to make or join an MLS room
 * where WebCrypto cannot run its suite (probed, not read from the user agent):
 * failing later, inside the group's first step, would leave a room that never
 * connects and says nothing.
 */
export async function requireMls(creating: boolean): Promise<void> {
  if (!(await mlsSupported())) throw new UserError(creating ? MLS_CANNOT_CREATE : MLS_CANNOT_JOIN);
}
