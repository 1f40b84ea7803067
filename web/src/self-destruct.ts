import { farewell, type FarewellReport } from './ghost-view.js';
import { currentGhost } from './models/ghost.js';
import { navigate } from './router.js';
import { currentRoomId, pendingDirectSecret, pendingSecret, rooms } from './state.js';
import { userMessage } from './user-message.js';
import { wipeAll } from './wipe.js';

/**
 * The voluntary way out: destroys the ghost on the relay (every record, on
 * every instance, and its sockets; the answer carries Clear-Site-Data), wipes
 * everything this tab holds, and shows the Farewell page saying what went.
 * The local wipe happens at once, before the relay answers.
 */
export async function selfDestruct(): Promise<FarewellReport> {
  const ghost = currentGhost();
  const roomCount = rooms.value.length;
  // destroy() takes the token and forgets the ghost synchronously, then asks the relay.
  const relay = ghost ? ghost.destroy() : null;
  const holders = wipeAll();
  rooms.value = [];
  currentRoomId.value = null;
  pendingSecret.value = null;
  pendingDirectSecret.value = null;
  let report: FarewellReport = { ghostDestroyedOnRelay: false, rooms: roomCount, holders };
  if (relay) {
    try {
      await relay;
      report = { ...report, ghostDestroyedOnRelay: true };
    } catch (err) {
      report = { ...report, relayError: userMessage(err, 'the relay did not answer') };
    }
  }
  farewell.value = report;
  navigate('/farewell', true);
  return report;
}
