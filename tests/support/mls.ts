import WebSocket from 'ws';
import { parseRoomFragment } from '../../web/src/fragment.js';
import { GhostSession } from '../../web/src/models/ghost.js';
import type { MlsCipher } from '../../web/src/models/mls-cipher.js';
import { RoomSession, type RoomEnv } from '../../web/src/models/room.js';
import type { WebSocketCtor } from '../../web/src/net/relay-client.js';

/** The PWA's room model in Node, on `origin`, as an MLS member with its own ghost (made on first use). */
export function mlsEnv(origin: string): RoomEnv {
  let ghost: Promise<GhostSession> | undefined;
  return { origin, WebSocket: WebSocket as unknown as WebSocketCtor, ghost: () => (ghost ??= GhostSession.create(origin)), mls: true };
}

/** The MLS cipher inside a room session (private to the model; tests read its epochs, members and faults). */
export const cipherOf = (s: RoomSession): MlsCipher => (s as unknown as { cipher: MlsCipher }).cipher;

/** The room secret of an MLS room's link (`#<S>~m`); throws for a link without the mark. */
export function secretOf(link: string): string {
  const f = parseRoomFragment(link.split('#')[1]!);
  if (!f?.mls) throw new Error(`not an MLS room's link: ${link}`);
  return f.secret;
}

/** Polls `cond` until it holds; past `ms`, throws saying what did not happen (`what` is called then, so it can describe the state). */
export async function until(cond: () => boolean, what: string | (() => string), ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not in time: ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Alice starts a group on `aliceOrigin` and Bob joins it from the link on
 * `bobOrigin`; resolves once Bob is added, both made their first commits and
 * nothing is in flight (both settled, one epoch, one safety code). Both
 * sessions go into `sessions` at once, for the caller to wipe.
 */
export async function aliceAndBob(aliceOrigin: string, bobOrigin: string, sessions: RoomSession[]): Promise<{ alice: RoomSession; bob: RoomSession; ca: MlsCipher; cb: MlsCipher }> {
  const alice = await RoomSession.create(mlsEnv(aliceOrigin));
  sessions.push(alice);
  await until(() => alice.safetyCode.value !== '', 'alice starts the group');
  const bob = await RoomSession.join(secretOf(alice.link), mlsEnv(bobOrigin));
  sessions.push(bob);
  const [ca, cb] = [cipherOf(alice), cipherOf(bob)];
  await until(() => ca.groupMembers().length === 2 && ca.settled && cb.settled && ca.epoch === cb.epoch && bob.safetyCode.value === alice.safetyCode.value, 'bob is added');
  return { alice, bob, ca, cb };
}
