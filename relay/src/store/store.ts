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
  /** Throws if the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
