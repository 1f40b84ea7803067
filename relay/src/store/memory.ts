import { randomUUID } from 'node:crypto';
import type { BacklogEntry, JoinResult, RoomRecord, Store } from './store.js';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * The embedded store: plain Maps whose entries carry their expiry. Reads
 * treat expired entries as absent; a sweep every `sweepMs` frees them.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly rooms = new Map<string, Entry<RoomRecord>>();
  private readonly members = new Map<string, Entry<Set<string>>>();
  private readonly claims = new Map<string, Entry<true>>();
  private readonly backlogs = new Map<string, Entry<BacklogEntry[]>>();
  private readonly id = randomUUID();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepMs = 1000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  private live<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Frees every expired entry; O(entries). */
  sweep(): void {
    const t = this.now();
    for (const map of [this.rooms, this.members, this.claims, this.backlogs] as Map<string, Entry<unknown>>[]) {
      for (const [k, e] of map) if (e.expiresAt <= t) map.delete(k);
    }
  }

  async epoch(): Promise<string> {
    return this.id;
  }

  async createRoom(room: RoomRecord): Promise<boolean> {
    if (this.live(this.rooms, room.id)) return false;
    this.rooms.set(room.id, { value: { ...room }, expiresAt: room.expiresAt });
    return true;
  }

  async getRoom(id: string): Promise<RoomRecord | null> {
    const r = this.live(this.rooms, id);
    return r ? { ...r } : null;
  }

  async deleteRoom(id: string): Promise<void> {
    this.rooms.delete(id);
    this.members.delete(id);
    this.backlogs.delete(id);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(this.claims, key)) return false;
    this.claims.set(key, { value: true, expiresAt: this.now() + ttlMs });
    return true;
  }

  async joinRoom(roomId: string, memberId: string): Promise<JoinResult> {
    const room = this.live(this.rooms, roomId);
    if (!room) return 'gone';
    let set = this.live(this.members, roomId);
    if (!set) {
      set = new Set();
      this.members.set(roomId, { value: set, expiresAt: room.expiresAt });
    }
    if (set.has(memberId)) return 'ok';
    if (set.size >= room.capacity) return 'full';
    set.add(memberId);
    return 'ok';
  }

  async leaveRoom(roomId: string, memberId: string): Promise<number> {
    const set = this.live(this.members, roomId);
    if (!set) return 0;
    set.delete(memberId);
    return set.size;
  }

  async memberCount(roomId: string): Promise<number> {
    return this.live(this.members, roomId)?.size ?? 0;
  }

  // --- optional encrypted backlog (issue 4) ---
  async appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void> {
    const list = this.live(this.backlogs, roomId) ?? [];
    list.push({ ...entry });
    if (list.length > max) list.splice(0, list.length - max);
    this.backlogs.set(roomId, { value: list, expiresAt: entry.expiresAt });
  }

  async readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
    const t = this.now();
    return (this.live(this.backlogs, roomId) ?? []).filter((e) => e.seq > afterSeq && e.expiresAt > t).map((e) => ({ ...e }));
  }
  // --- end backlog ---

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.rooms.clear();
    this.members.clear();
    this.claims.clear();
    this.backlogs.clear();
  }
}
