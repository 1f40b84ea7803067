import type { GhostKeyAlg } from '../../../protocol/src/messages/ghosts-api.js';

/**
 * What the relay remembers, and only for as long as each record's TTL.
 * Two implementations (memory, Redis) pass one conformance suite
 * (store.conformance.ts). Every write sets its expiry in the same step.
 * Times are epoch milliseconds. A store is built with the relay's one clock
 * (Deps.now) and callers pass `now` from that same clock, so a write's
 * expiry and a later read's idea of "expired" cannot disagree.
 */
export interface RoomRecord {
  id: string;
  /** SHA-256 of the access key, base64url. Never the key or the room secret. */
  accessKeyHash: string;
  capacity: number;
  createdAt: number;
  /** The room's hard end (≤ 24 h after creation); it ends sooner once empty past its grace. */
  expiresAt: number;
  /** Listed in the lobby. */
  public: boolean;
  /** Joining needs a fresh invite ticket too. */
  invites: boolean;
  /** Opaque metadata from the creator (an encrypted name). */
  meta?: string;
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

/** A ghost as stored: no IP, no name, only what the session needs. */
export interface GhostRecord {
  id: string;
  /** SHA-256 of the session token's secret part, base64url. */
  tokenHash: string;
  publicKey: string;
  alg: GhostKeyAlg;
  createdAt: number;
  /** The 24-hour hard cap. */
  hardExpiresAt: number;
}

/** A live ghost: the record plus its current (sliding) expiry. */
export interface GhostSession extends GhostRecord {
  expiresAt: number;
}

export type JoinResult = 'ok' | 'full' | 'gone' | 'no-ghost';

export interface JoinOutcome {
  result: JoinResult;
  /** The room, when it exists. */
  room: RoomRecord | null;
  /** The other members' ids (on every instance). */
  members: string[];
  /** The room's last sequence number. */
  seq: number;
  /** The room's current MLS epoch (0 until its first commit). */
  epoch: number;
}

export interface SeqResult {
  seq: number;
  /** Members in the room on every instance, the sender included. */
  members: number;
}

/**
 * A frame to number and fan out: the encoded frame is `head + seq + tail`
 * (the relay's `frame` message split around its seq), so the store can
 * number it, keep it and publish it in one step.
 */
export interface FramePlan {
  head: string;
  tail: string;
  /** Backlog frames the room keeps (0: none). */
  backlogMax: number;
  /** When this frame leaves the backlog (epoch ms). */
  backlogExpiresAt: number;
  /** The bus header for the other instances (`<instanceId> <roomId> <except>`); absent: publish nothing. */
  busHeader?: string;
}

/**
 * What `commit` made of a handshake: accepted (numbered in the room's one
 * sequence, the room now at `epoch`), or refused because the room is at
 * `epoch` already, or gone.
 */
export type CommitResult =
  | { ok: true; seq: number; epoch: number; members: number }
  | { ok: false; epoch: number; gone: boolean };

/** A token bucket: `capacity` tokens, refilled at `refillPerSecond`. */
export interface BucketSpec {
  capacity: number;
  refillPerSecond: number;
}

export interface TakeResult {
  ok: boolean;
  /** When not ok: how long until a token is back. */
  retryAfterMs: number;
}

export type FootprintKind = 'ghost' | 'key-index' | 'rate-limit' | 'membership';

export interface FootprintRecord {
  kind: FootprintKind;
  count: number;
  expiresAt: number;
}

export interface PublicRoom {
  room: RoomRecord;
  participants: number;
  /** 0–1, decaying with the message rate (HEAT_TAU_MS). */
  heat: number;
}

/** Counters kept per minute for an hour. `create` is every ghost or room creation (drives PoW difficulty). */
export type Counter = 'ghost' | 'room' | 'create' | 'msg';

export interface StoreStats {
  activeGhosts: number;
  activeRooms: number;
  publicRooms: number;
  /** Sessions that ended (destroyed or expired) in the last hour, and their summed length. */
  endedSessions: number;
  endedSessionMs: number;
}

/** Heat: a message count decaying with this time constant, mapped to 0–1 by 1 − e^(−h / HEAT_SCALE). */
export const HEAT_TAU_MS = 60_000;
export const HEAT_SCALE = 20;
/** Counters are bucketed per minute and kept for an hour. */
export const COUNTER_BUCKET_MS = 60_000;
export const COUNTER_BUCKETS = 60;


/** A /signal peer as the store knows it: its id and the instance holding its socket. */
export interface DirectPeer {
  id: string;
  instance: string;
}

/** /signal rooms and the strangers' queue, shared by every instance (Redis only); everything expires with SIGNAL_TTL_SECONDS. */
export interface DirectStore {
  /** Enters a direct room of two; its life starts with its first peer and is never extended. */
  join(roomId: string, peer: DirectPeer, now: number, ttlMs: number): Promise<{ result: 'ok' | 'full'; expiresAt: number; other: DirectPeer | undefined }>;
  leave(roomId: string, peerId: string): Promise<void>;
  /** Opens a direct room holding both strangers. */
  pair(roomId: string, a: DirectPeer, b: DirectPeer, expiresAt: number): Promise<void>;
  /** Takes the oldest live waiting stranger, or queues this one until `expiresAt`. */
  stranger(peer: DirectPeer, expiresAt: number, now: number, maxWaiting: number): Promise<{ result: 'paired'; mate: DirectPeer } | { result: 'waiting' | 'busy' }>;
  /** Leaves the queue. */
  unqueue(peer: DirectPeer, expiresAt: number): Promise<void>;
}

export interface Store {
  readonly kind: 'memory' | 'redis';
  /** Changes whenever the store loses its memory (a restart); join tokens bind to it. */
  epoch(): Promise<string>;
  // --- optional encrypted backlog (issue 4) ---
  /** Appends a frame to a room's backlog, keeps the newest `max`, and sets the backlog to expire with its newest entry. */
  appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void>;
  /** The unexpired backlog entries with `seq > afterSeq`, oldest first. */
  readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]>;
  // --- end backlog ---
  /** Throws if the store cannot be reached or refuses writes (Redis: a probe write with a TTL). */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Set-if-absent with a TTL: true the first time a key is claimed, false after. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;

  /** Stores a new ghost with a session of `sessionTtlMs` (capped by its hardExpiresAt); false if the id is taken. */
  createGhost(ghost: GhostRecord, now: number, sessionTtlMs: number): Promise<GhostSession | null>;
  /**
   * Slides the session to now + sessionTtlMs (never past the hard cap) and
   * returns it; with `tokenHash`, only if it matches. Null if there is no such ghost.
   */
  touchGhost(id: string, now: number, sessionTtlMs: number, tokenHash?: string): Promise<GhostSession | null>;
  /**
   * Deletes every key the ghost owns and its room memberships (a room it
   * leaves empty ends after `graceMs`); O(its keys). False if it did not exist.
   */
  destroyGhost(id: string, now: number, graceMs: number): Promise<boolean>;
  /** What is held about the ghost right now. */
  ghostFootprint(id: string): Promise<FootprintRecord[]>;

  /** Registers a room; it lives until `expiresAt`, or only ROOM grace if nobody joins. False if the id is taken. */
  createRoom(room: RoomRecord, now: number, graceMs: number): Promise<boolean>;
  getRoom(id: string): Promise<RoomRecord | null>;
  deleteRoom(id: string): Promise<void>;
  /** Adds a member (owned by `ghostId`) if the room exists, the ghost lives and there is room: atomically. */
  joinRoom(roomId: string, memberId: string, ghostId: string, now: number): Promise<JoinOutcome>;
  /**
   * Removes a member of `ghostId`; when the room empties it ends after `graceMs`. Returns how many remain.
   * In a room with invites, the ghost may rejoin without a ticket for `rejoinGraceMs` (default ROOM_REJOIN_GRACE_SECONDS).
   */
  leaveRoom(roomId: string, memberId: string, ghostId: string, now: number, graceMs: number, rejoinGraceMs?: number): Promise<number>;
  memberCount(roomId: string): Promise<number>;
  /** Whether `ghostId` holds a membership in the room right now. */
  isMember(roomId: string, ghostId: string): Promise<boolean>;
  /** Whether `ghostId` is a member now, or left a room with invites within its rejoin grace (so needs no ticket). */
  mayRejoin(roomId: string, ghostId: string, now: number): Promise<boolean>;
  /**
   * Gives `ghostId` a rejoin grace in a room with invites for `ms` (default ROOM_REJOIN_GRACE_SECONDS)
   * without a membership: a ghost a ticket admitted must not be locked out if its first socket fails.
   */
  grantRejoin(roomId: string, ghostId: string, now: number, ms?: number): Promise<void>;
  /** Numbers the next frame of a room (global across instances), counts it, and warms a public room's heat. */
  nextSeq(roomId: string, now: number): Promise<SeqResult>;
  /** nextSeq, the backlog append and (on Redis) the publish to the other instances, in one step. */
  sendFrame(roomId: string, plan: FramePlan, now: number): Promise<SeqResult>;
  /** sendFrame without waiting, where the store needs no I/O for it (the embedded store): no promise per frame. */
  sendFrameNow?(roomId: string, plan: FramePlan, now: number): SeqResult;
  /**
   * Accepts one commit per epoch (the MLS Delivery Service rule): if the room is at `epoch`, moves it to
   * epoch + 1 and numbers, keeps and publishes the commit as sendFrame does a frame (`plan` splits the
   * encoded `commit` message around its seq); otherwise refuses it with the room's epoch. Atomic across instances.
   */
  commit(roomId: string, epoch: number, plan: FramePlan, now: number): Promise<CommitResult>;
  /** Registers who hears of members removed because the instance that held them died (Redis only). */
  onMembersLost?(handler: (roomId: string, memberIds: string[]) => void): void;
  /** /signal state across instances (absent: the relay keeps it in memory, one instance). */
  readonly direct?: DirectStore;
  /** Public rooms, busiest first. */
  listPublicRooms(now: number, limit: number): Promise<PublicRoom[]>;

  /** Takes `cost` tokens from bucket `key`; with `ghostId`, the bucket is one of the ghost's keys. */
  takeToken(key: string, spec: BucketSpec, now: number, ghostId?: string, cost?: number): Promise<TakeResult>;
  /** Counts one event in the current minute. */
  count(counter: Counter, now: number): Promise<void>;
  /** Events of the last `minutes` whole minutes plus the current one. */
  recentCount(counter: Counter, now: number, minutes: number): Promise<number>;
  /** Aggregates for /api/stats (and the sweep of ended sessions). */
  stats(now: number): Promise<StoreStats>;
}
