/**
 * What the relay remembers, and only for as long as each record's TTL.
 * Two implementations (memory, Redis) pass one conformance suite
 * (store.conformance.ts). Every write sets its expiry in the same step.
 */
export interface RoomRecord {
  id: string;
  /** SHA-256 of the access key, base64url. Never the key or the room secret. */
  accessKeyHash: string;
  capacity: number;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  /** Frames the optional encrypted backlog keeps (absent or 0: none). */
  backlog?: number;
  /** Life of each backlog frame, ms; never past `expiresAt`. */
  backlogTtlMs?: number;
}

/** One sealed frame kept in a room's backlog: the relay's encoded `frame` message, opaque to the store. */
export interface BacklogEntry {
  seq: number;
  /** Epoch ms after which the entry is gone (at most the room's expiry). */
  expiresAt: number;
  frame: string;
}

export type JoinResult = 'ok' | 'full' | 'gone';

export interface Store {
  readonly kind: 'memory' | 'redis';
  /** Changes whenever the store loses its memory (a restart); join tokens bind to it. */
  epoch(): Promise<string>;
  /** Registers a room until `expiresAt`; false if the id is taken. */
  createRoom(room: RoomRecord): Promise<boolean>;
  getRoom(id: string): Promise<RoomRecord | null>;
  deleteRoom(id: string): Promise<void>;
  /** Set-if-absent with a TTL: true the first time a key is claimed, false after. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Adds a member if the room exists and has room, atomically. */
  joinRoom(roomId: string, memberId: string): Promise<JoinResult>;
  /** Removes a member; returns how many remain. */
  leaveRoom(roomId: string, memberId: string): Promise<number>;
  memberCount(roomId: string): Promise<number>;
  // --- optional encrypted backlog (issue 4) ---
  /** Appends a frame to a room's backlog, keeps the newest `max`, and sets the backlog to expire with its newest entry. */
  appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void>;
  /** The unexpired backlog entries with `seq > afterSeq`, oldest first. */
  readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]>;
  // --- end backlog ---
  /** Throws if the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
