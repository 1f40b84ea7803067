import { registerWipe } from '../wipe.js';

/**
 * Read-once messages already viewed, per room, for the life of the page: a
 * rejoin (a new RoomSession for the same room) and a backlog replay must not
 * show them again. Leaving a room keeps its set, since rejoining is exactly the
 * case it is for; panic and every other full wipe forget it. Memory only, so a
 * reload forgets it too (enforced by this app only, as read-once always is).
 */
const burnt = new Map<string, Set<string>>();
registerWipe(() => burnt.clear());

/** The viewed read-once message ids (signer fingerprint:message id) of one room. */
export function burntIn(roomId: string): Set<string> {
  let set = burnt.get(roomId);
  if (!set) burnt.set(roomId, (set = new Set()));
  return set;
}
