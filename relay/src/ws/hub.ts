/** A socket as the hub sees it: something that takes pre-encoded frames and can be closed. */
export interface Peer {
  /** Queues a text frame; returns false if the peer was dropped instead (slow consumer). */
  send(frame: Buffer): boolean;
  close(code: number, reason: string): void;
}

interface LocalRoom {
  members: Map<string, Peer>;
  seq: number;
  expiry: NodeJS.Timeout | undefined;
}

/**
 * This instance's view of who is connected to which room. Fanout encodes a
 * frame once and hands the same Buffer to every member's socket.
 */
export class RoomHub {
  private readonly rooms = new Map<string, LocalRoom>();

  private room(id: string): LocalRoom {
    let r = this.rooms.get(id);
    if (!r) {
      r = { members: new Map(), seq: 0, expiry: undefined };
      this.rooms.set(id, r);
    }
    return r;
  }

  /** Adds a member; `onExpire` runs once when the room's life ends. */
  add(roomId: string, memberId: string, peer: Peer, expiresAt: number, onExpire: () => void): void {
    const r = this.room(roomId);
    r.members.set(memberId, peer);
    if (!r.expiry) {
      r.expiry = setTimeout(onExpire, Math.max(0, expiresAt - Date.now()));
      r.expiry.unref();
    }
  }

  remove(roomId: string, memberId: string): void {
    const r = this.rooms.get(roomId);
    if (!r) return;
    r.members.delete(memberId);
    if (r.members.size === 0) {
      clearTimeout(r.expiry);
      this.rooms.delete(roomId);
    }
  }

  memberIds(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.members.keys() ?? [])];
  }

  seq(roomId: string): number {
    return this.rooms.get(roomId)?.seq ?? 0;
  }

  /** Raises the room's sequence number to at least `seq`: a backlog outlives this instance's view of the room (issue 4). */
  ensureSeq(roomId: string, seq: number): void {
    const r = this.rooms.get(roomId);
    if (r && r.seq < seq) r.seq = seq;
  }

  nextSeq(roomId: string): number {
    return ++this.room(roomId).seq;
  }

  /** Sends one encoded frame to every member but `except`; returns how many took it. */
  broadcast(roomId: string, frame: Buffer, except?: string): number {
    const r = this.rooms.get(roomId);
    if (!r) return 0;
    let delivered = 0;
    for (const [id, peer] of r.members) {
      if (id !== except && peer.send(frame)) delivered++;
    }
    return delivered;
  }

  /** Closes every member's socket for this room (expiry or destroy). */
  closeRoom(roomId: string, code: number, reason: string): void {
    const r = this.rooms.get(roomId);
    if (!r) return;
    this.rooms.delete(roomId);
    clearTimeout(r.expiry);
    for (const peer of r.members.values()) peer.close(code, reason);
  }

  get roomCount(): number {
    return this.rooms.size;
  }
}
