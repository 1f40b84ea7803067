import { farewell, type FarewellReport } from './ghost-view.js';
import { currentGhost } from './models/ghost.js';
import { navigate } from './router.js';
import { CLEAR_SITE_DATA_PATH } from './panic/sequence.js';
import { readSiteResidue, requestClearSiteData } from './site-check.js';
import { currentRoomId, forgetAllRead, pendingDirectSecret, pendingSecret, rooms } from './state.js';
import { userMessage } from './user-message.js';
import { wipeAll } from './wipe.js';

/**
 * The voluntary way out: destroys the ghost on the relay (every record, on
 * every instance, and its sockets), wipes everything this tab holds, asks the
 * browser to clear the site's caches and storage (Clear-Site-Data, on a
 * request that may carry credentials, or Chromium ignores it), reads back what
 * remains, and shows the Farewell page saying what was verified.
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
  forgetAllRead();
  let report: FarewellReport = { ghostDestroyedOnRelay: false, rooms: roomCount, holders, clearSiteAsked: false, residue: null };
  if (relay) {
    try {
      await relay;
      report = { ...report, ghostDestroyedOnRelay: true };
    } catch (err) {
      report = { ...report, relayError: userMessage(err, 'the relay did not answer') };
    }
  }
  // The browser's own wipe of the site's caches, storage and worker; then read back what is left, and say only that.
  try {
    const res = (await requestClearSiteData(CLEAR_SITE_DATA_PATH)) as Response;
    report = { ...report, clearSiteAsked: res.ok };
  } catch {
    // Offline: the Farewell page says what remains.
  }
  report = { ...report, residue: await readSiteResidue() };
  farewell.value = report;
  navigate('/farewell', true);
  return report;
}
