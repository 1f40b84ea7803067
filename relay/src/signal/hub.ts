import { randomBytes } from 'node:crypto';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { SIGNAL_MAX_WAITING, SIGNAL_ROOM_PEERS } from '../../../protocol/src/limits.js';
import type { SignalRelayed, SignalServerMessage } from '../../../protocol/src/signal-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';

/** A /signal socket as the hub sees it. */
export interface SignalPeer {
  /** Sends one message; returns false if the peer is gone or was dropped (slow consumer). */
  send(msg: SignalServerMessage): boolean;
  /** Sends a typed error, then closes with the named code. */
  fail(code: ErrorCode, message: string, closeCode: CloseCode): void;
}

interface DirectRoom {
  id: string;
  peers: SignalPeer[];
  expiresAt: number;
  timer: NodeJS.Timeout;
}

interface Waiting {
  peer: SignalPeer;
  timer: NodeJS.Timeout;
}

export interface SignalHubOptions {
  ttlMs: number;
  now?: () => number;
  /** Picks an index in [0, n): which waiting stranger is paired. */
  pick?: (n: number) => number;
  /** Strangers that may wait at once (SIGNAL_MAX_WAITING unless a test says); more are told to come back later. */
  maxWaiting?: number;
}

export type JoinResult = 'ok' | 'full' | 'again';
export type StrangerResult = 'waiting' | 'paired' | 'busy' | 'again';
export type RelayResult = 'ok' | 'not-joined' | 'no-peer';

/** Direct rooms and the strangers' queue as /signal sockets use them: in memory (SignalHub) or shared through the store (DirectHub). */
export interface SignalRooms {
  /** Puts a peer in the direct room `id`; the third peer is refused. */
  join(id: string, peer: SignalPeer): JoinResult | Promise<JoinResult>;
  /** Pairs a stranger with a waiting one, or queues it until the TTL. */
  stranger(peer: SignalPeer): StrangerResult | Promise<StrangerResult>;
  /** Hands a key, confirm, rtc or data message to the other peer of this peer's room. */
  relay(peer: SignalPeer, msg: SignalRelayed): RelayResult;
  /** Removes a peer from its room or the queue, and tells the other peer. */
  leave(peer: SignalPeer): void;
  readonly size: { rooms: number; peers: number; waiting: number };
}

/**
 * Direct rooms of at most SIGNAL_ROOM_PEERS peers and the strangers' waiting
 * room, in this process's memory only (one instance; several instances on
 * Redis use DirectHub): nothing is persisted, every room and
 * every wait ends after the TTL, and an empty room is forgotten at once.
 */
export class SignalHub implements SignalRooms {
  private readonly rooms = new Map<string, DirectRoom>();
  private readonly roomOf = new Map<SignalPeer, DirectRoom>();
  private readonly waiting = new Map<SignalPeer, Waiting>();
  private readonly now: () => number;
  private readonly pick: (n: number) => number;
  private readonly maxWaiting: number;

  constructor(private readonly opts: SignalHubOptions) {
    this.now = opts.now ?? Date.now;
    this.pick = opts.pick ?? ((n) => Math.floor(Math.random() * n));
    this.maxWaiting = opts.maxWaiting ?? SIGNAL_MAX_WAITING;
  }

  /** Whether this socket is in a room or waiting (it may do neither twice). */
  busy(peer: SignalPeer): boolean {
    return this.roomOf.has(peer) || this.waiting.has(peer);
  }

  /** Puts a peer in the direct room `id`; the third peer is refused. */
  join(id: string, peer: SignalPeer): JoinResult {
    if (this.busy(peer)) return 'again';
    let room = this.rooms.get(id);
    if (room && room.peers.length >= SIGNAL_ROOM_PEERS) return 'full';
    if (!room) room = this.open(id);
    room.peers.push(peer);
    this.roomOf.set(peer, room);
    const other = this.other(peer);
    peer.send({ v: PROTOCOL_VERSION, type: 'joined', room: id, peer: !!other, expiresAt: room.expiresAt });
    other?.send({ v: PROTOCOL_VERSION, type: 'peer', event: 'join' });
    return 'ok';
  }

  /** Pairs a stranger with a random waiting one, or queues it until the TTL. */
  stranger(peer: SignalPeer): StrangerResult {
    if (this.busy(peer)) return 'again';
    const queue = [...this.waiting.values()];
    if (queue.length === 0) {
      if (this.waiting.size >= this.maxWaiting) return 'busy';
      const expiresAt = this.now() + this.opts.ttlMs;
      const timer = setTimeout(() => {
        this.waiting.delete(peer);
        peer.fail(ErrorCode.RoomNotFound, 'No stranger turned up in time. Try again.', CloseCode.RoomGone);
      }, this.opts.ttlMs);
      timer.unref();
      this.waiting.set(peer, { peer, timer });
      peer.send({ v: PROTOCOL_VERSION, type: 'waiting', expiresAt });
      return 'waiting';
    }
    const mate = queue[Math.min(queue.length - 1, this.pick(queue.length))]!;
    clearTimeout(mate.timer);
    this.waiting.delete(mate.peer);
    const room = this.open(randomBytes(16).toString('base64url'));
    for (const p of [mate.peer, peer]) {
      room.peers.push(p);
      this.roomOf.set(p, room);
      p.send({ v: PROTOCOL_VERSION, type: 'joined', room: room.id, peer: true, expiresAt: room.expiresAt });
    }
    return 'paired';
  }

  private open(id: string): DirectRoom {
    const expiresAt = this.now() + this.opts.ttlMs;
    const timer = setTimeout(() => this.expire(id), this.opts.ttlMs);
    timer.unref();
    const room: DirectRoom = { id, peers: [], expiresAt, timer };
    this.rooms.set(id, room);
    return room;
  }

  private expire(id: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    this.rooms.delete(id);
    for (const p of room.peers) {
      this.roomOf.delete(p);
      p.fail(ErrorCode.RoomNotFound, 'This direct session ran out of time on the relay. Open the link again to meet anew.', CloseCode.RoomGone);
    }
  }

  /** The other peer in this peer's room, if any. */
  other(peer: SignalPeer): SignalPeer | undefined {
    return this.roomOf.get(peer)?.peers.find((p) => p !== peer);
  }

  inRoom(peer: SignalPeer): boolean {
    return this.roomOf.has(peer);
  }

  relay(peer: SignalPeer, msg: SignalRelayed): RelayResult {
    if (!this.inRoom(peer)) return 'not-joined';
    const other = this.other(peer);
    if (!other) return 'no-peer';
    other.send(msg);
    return 'ok';
  }

  /** Removes a peer from its room or the queue, and tells the other peer at once. */
  leave(peer: SignalPeer): void {
    const w = this.waiting.get(peer);
    if (w) {
      clearTimeout(w.timer);
      this.waiting.delete(peer);
    }
    const room = this.roomOf.get(peer);
    if (!room) return;
    this.roomOf.delete(peer);
    room.peers = room.peers.filter((p) => p !== peer);
    if (room.peers.length === 0) {
      clearTimeout(room.timer);
      this.rooms.delete(room.id);
      return;
    }
    for (const p of room.peers) p.send({ v: PROTOCOL_VERSION, type: 'peer', event: 'leave' });
  }

  /** Live state, for tests and aggregate metrics only. */
  get size(): { rooms: number; peers: number; waiting: number } {
    return { rooms: this.rooms.size, peers: this.roomOf.size, waiting: this.waiting.size };
  }
}
