import type { KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import type { ConnectionState } from '../net/relay-client.js';

/** Everything about the room besides its messages, as one value. */
export interface RoomState {
  /** Our relay member id on the current connection. */
  me: string | null;
  members: string[];
  /** Our own handle and colour. */
  self: KeyLabel | null;
  connection: ConnectionState;
  expiresAt: number | null;
  notice: string | null;
  /** Frames sealed with the room key whose signature or key binding failed (someone in the room misbehaves). */
  forgeries: number;
  /** Short code derived from the room secret; members compare it to detect a tampered link. */
  safetyCode: string;
  /** The room's name, when its creator gave one (read from the room's meta). */
  name: string | null;
  /** A public room: listed in the lobby with its secret, so anyone can read it. */
  isPublic: boolean;
  /** Rotating invites: joining needs a fresh ticket, so the invite link and QR carry one that members mint. */
  invites: boolean;
  /** Correctly signed copies of messages already shown, dropped: the relay (or whoever recorded the room) played them again. */
  replays: number;
  /** Handles of different keys seen in this room that look alike (same skeleton): each is marked where it shows. */
  lookalikes: string[];
}

export const initialState: RoomState = {
  me: null,
  members: [],
  self: null,
  connection: { phase: 'idle' },
  expiresAt: null,
  notice: null,
  forgeries: 0,
  safetyCode: '',
  name: null,
  isPublic: false,
  invites: false,
  replays: 0,
  lookalikes: [],
};

