import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { LocalBus, type Bus } from '../bus/bus.js';
import type { Logger } from '../log.js';

/** A socket as the hub sees it: something that takes pre-encoded frames and can be closed. */
export interface Peer {
  /** Queues a text frame; returns false if the peer was dropped instead (slow consumer). */
  send(frame: Buffer): boolean;
  close(code: number, reason: string): void;
}

interface LocalRoom {
  members: Map<string, Peer>;
  expiry: NodeJS.Timeout | undefined;
  /** Resolves once this instance receives the room's messages from other instances. */
  subscribed: Promise<void>;
}

const encode = (msg: ServerMessage): Buffer => Buffer.from(JSON.stringify(msg));

/**
 * This instance's view of who is connected to which room, and which ghost
 * owns which sockets. Fanout encodes a frame once, hands the same Buffer to
 * every local member's socket, and publishes it on the bus for the members
 * other instances hold.
 */
export class RoomHub {
  private readonly rooms = new Map<string, LocalRoom>();
  private readonly ghosts = new Map<string, Set<Peer>>();

  constructor(
    private readonly bus: Bus = new LocalBus(),
    private readonly now: () => number = Date.now,
    private readonly log?: Logger,
  ) {
    bus.onRoom((roomId, frame, except) => this.deliver(roomId, frame, except));
    bus.onGhostClosed((ghostId) => this.closeGhost(ghostId));
  }

  /**
   * Adds a member once this instance receives the room's messages from other
   * instances, so no frame published after `joined` can miss it. `onExpire`
   * runs once when the room's life ends.
   */
  async add(roomId: string, memberId: string, peer: Peer, expiresAt: number, onExpire: () => void): Promise<void> {
    for (;;) {
      let r = this.rooms.get(roomId);
      if (!r) {
        const expiry = setTimeout(onExpire, Math.max(0, expiresAt - this.now()));
        expiry.unref();
        r = { members: new Map(), expiry, subscribed: this.bus.subscribeRoom(roomId) };
        this.rooms.set(roomId, r);
      }
      try {
        await r.subscribed;
      } catch (err) {
        if (r.members.size === 0 && this.rooms.get(roomId) === r) this.drop(roomId, r);
        throw err;
      }
      // The room may have been dropped (its last member left) while we waited: start again.
      if (this.rooms.get(roomId) !== r) continue;
      r.members.set(memberId, peer);
      return;
    }
  }

  remove(roomId: string, memberId: string): void {
    const r = this.rooms.get(roomId);
    if (!r) return;
    r.members.delete(memberId);
    if (r.members.size === 0) this.drop(roomId, r);
  }

  private drop(roomId: string, r: LocalRoom): void {
    clearTimeout(r.expiry);
    this.rooms.delete(roomId);
    r.subscribed.then(() => this.bus.unsubscribeRoom(roomId)).catch((err: unknown) => this.log?.warn('room unsubscribe failed', { err: (err as Error).name }));
  }

  /** Members of the room on this instance. */
  memberIds(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.members.keys() ?? [])];
  }

  localCount(roomId: string): number {
    return this.rooms.get(roomId)?.members.size ?? 0;
  }

  /** Hands a frame to this instance's members but `except`; returns how many took it (the store's sendFrame published it for the others). */
  deliverLocal(roomId: string, frame: Buffer, except?: string): number {
    return this.deliver(roomId, frame, except);
  }

  private deliver(roomId: string, frame: Buffer, except?: string): number {
    const r = this.rooms.get(roomId);
    if (!r) return 0;
    let delivered = 0;
    for (const [id, peer] of r.members) {
      if (id !== except && peer.send(frame)) delivered++;
    }
    return delivered;
  }

  /** Sends one encoded frame to every member but `except`, here and on other instances; returns how many local members took it. */
  broadcast(roomId: string, frame: Buffer, except?: string): number {
    void this.bus.publishRoom(roomId, frame, except);
    return this.deliver(roomId, frame, except);
  }

  /** Closes every local member's socket for this room (expiry or destroy). */
  closeRoom(roomId: string, code: number, reason: string): void {
    const r = this.rooms.get(roomId);
    if (!r) return;
    this.drop(roomId, r);
    for (const peer of r.members.values()) peer.close(code, reason);
  }

  /** Records that `peer` acts for `ghostId`, so destroying the ghost closes it. */
  bindGhost(ghostId: string, peer: Peer): void {
    let set = this.ghosts.get(ghostId);
    if (!set) this.ghosts.set(ghostId, (set = new Set()));
    set.add(peer);
  }

  unbindGhost(ghostId: string, peer: Peer): void {
    const set = this.ghosts.get(ghostId);
    if (!set) return;
    set.delete(peer);
    if (set.size === 0) this.ghosts.delete(ghostId);
  }

  /** Closes this instance's sockets of a destroyed ghost, with a typed error first; returns how many. */
  closeGhost(ghostId: string): number {
    const set = this.ghosts.get(ghostId);
    if (!set) return 0;
    this.ghosts.delete(ghostId);
    const frame = encode({ v: PROTOCOL_VERSION, type: 'error', code: ErrorCode.GhostDestroyed, message: 'Your ghost was destroyed. Everything the relay held for it is gone.' });
    for (const peer of set) {
      peer.send(frame);
      peer.close(CloseCode.Destroyed, 'ghost_destroyed');
    }
    return set.size;
  }

  /** Tells the other instances too. */
  async destroyGhost(ghostId: string): Promise<void> {
    this.closeGhost(ghostId);
    await this.bus.publishGhostClosed(ghostId);
  }

  get roomCount(): number {
    return this.rooms.size;
  }
}
