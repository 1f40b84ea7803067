import { randomUUID, timingSafeEqual } from 'node:crypto';
import { ROOM_REJOIN_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import { counterMinute, decayHeat, heatLevel, rankPublicRooms, slideSession, summariseFootprint, takeFromBucket, warmHeat } from './policy.js';
import {
  COUNTER_BUCKETS,
  COUNTER_BUCKET_MS,
  type BucketSpec,
  type CommitResult,
  type FootprintKind,
  type FramePlan,
  type Counter,
  type BacklogEntry,
  type FootprintRecord,
  type GhostRecord,
  type GhostSession,
  type JoinOutcome,
  type PublicRoom,
  type RoomRecord,
  type SeqResult,
  type Store,
  type StoreStats,
  type TakeResult,
} from './store.js';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

interface RoomState {
  /** memberId → ghostId */
  members: Map<string, string>;
  /** ghostId → when its rejoin grace ends (rooms with invites only). */
  recent: Map<string, number>;
  seq: number;
  /** The MLS epoch: commits accepted so far. */
  epoch: number;
  heat: number;
  heatAt: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface GhostState {
  record: GhostRecord;
  /** Keys of the buckets and memberships it owns (the same index the Redis store keeps). */
  buckets: Set<string>;
  memberships: Set<string>;
  /** Rooms where it holds a rejoin grace. */
  recent: Set<string>;
}

const sameHash = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The embedded store: plain Maps whose entries carry their expiry. Reads
 * treat expired entries as absent; a sweep every `sweepMs` frees them. The
 * clock is the relay's (Deps.now), given to the constructor: callers pass
 * `now` from the same clock, so expiry written and expiry read agree.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly rooms = new Map<string, Entry<RoomRecord>>();
  private readonly roomState = new Map<string, RoomState>();
  private readonly ghosts = new Map<string, Entry<GhostState>>();
  private readonly claims = new Map<string, Entry<true>>();
  private readonly backlogs = new Map<string, Entry<BacklogEntry[]>>();
  private readonly buckets = new Map<string, Entry<Bucket>>();
  private readonly counters = new Map<string, Entry<number>>();
  private ended = { sessions: 0, ms: 0, since: 0 };
  private readonly id = randomUUID();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly clock: () => number,
    sweepMs = 1000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  private live<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.clock()) {
      this.expire(map, key, e);
      return undefined;
    }
    return e.value;
  }

  private expire(map: Map<string, Entry<unknown>>, key: string, e: Entry<unknown>): void {
    map.delete(key);
    if (map === (this.rooms as Map<string, Entry<unknown>>)) this.roomState.delete(key);
    if (map === (this.ghosts as Map<string, Entry<unknown>>)) {
      const g = (e.value as GhostState).record;
      this.endSession(e.expiresAt - g.createdAt, e.expiresAt);
    }
  }

  private endSession(ms: number, now: number): void {
    if (now - this.ended.since > COUNTER_BUCKETS * COUNTER_BUCKET_MS) this.ended = { sessions: 0, ms: 0, since: now };
    this.ended.sessions++;
    this.ended.ms += Math.max(0, ms);
  }

  /** Frees every expired entry; O(entries). */
  sweep(): void {
    const t = this.clock();
    for (const map of [this.rooms, this.ghosts, this.claims, this.buckets, this.counters, this.backlogs] as Map<string, Entry<unknown>>[]) {
      for (const [k, e] of map) if (e.expiresAt <= t) this.expire(map, k, e);
    }
  }

  async epoch(): Promise<string> {
    return this.id;
  }

  async ping(): Promise<void> {}

  // --- optional encrypted backlog (issue 4) ---
  async appendBacklog(roomId: string, entry: BacklogEntry, max: number): Promise<void> {
    this.appendBacklogNow(roomId, entry, max);
  }

  private appendBacklogNow(roomId: string, entry: BacklogEntry, max: number): void {
    const list = this.live(this.backlogs, roomId) ?? [];
    // Kept in seq order whatever order appends arrive in (see the Redis store).
    let at = list.length;
    while (at > 0 && list[at - 1]!.seq > entry.seq) at--;
    list.splice(at, 0, { ...entry });
    if (list.length > max) list.splice(0, list.length - max);
    const expiresAt = Math.max(this.backlogs.get(roomId)?.expiresAt ?? 0, entry.expiresAt);
    this.backlogs.set(roomId, { value: list, expiresAt });
  }

  async readBacklog(roomId: string, afterSeq: number): Promise<BacklogEntry[]> {
    const t = this.clock();
    return (this.live(this.backlogs, roomId) ?? []).filter((e) => e.seq > afterSeq && e.expiresAt > t).map((e) => ({ ...e }));
  }
  // --- end backlog ---

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const m of [this.rooms, this.roomState, this.ghosts, this.claims, this.buckets, this.counters, this.backlogs]) m.clear();
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(this.claims, key)) return false;
    this.claims.set(key, { value: true, expiresAt: this.clock() + ttlMs });
    return true;
  }

  // Ghosts

  private session(e: Entry<GhostState>): GhostSession {
    return { ...e.value.record, expiresAt: e.expiresAt };
  }

  async createGhost(ghost: GhostRecord, now: number, sessionTtlMs: number): Promise<GhostSession | null> {
    if (this.live(this.ghosts, ghost.id)) return null;
    const e = { value: { record: { ...ghost }, buckets: new Set<string>(), memberships: new Set<string>(), recent: new Set<string>() }, expiresAt: Math.min(now + sessionTtlMs, ghost.hardExpiresAt) };
    this.ghosts.set(ghost.id, e);
    return this.session(e);
  }

  async touchGhost(id: string, now: number, sessionTtlMs: number, tokenHash?: string): Promise<GhostSession | null> {
    if (!this.live(this.ghosts, id)) return null;
    const e = this.ghosts.get(id)!;
    if (tokenHash !== undefined && !sameHash(tokenHash, e.value.record.tokenHash)) return null;
    e.expiresAt = slideSession(e.expiresAt, now, sessionTtlMs, e.value.record.hardExpiresAt);
    return this.session(e);
  }

  async destroyGhost(id: string, now: number, graceMs: number): Promise<boolean> {
    const g = this.live(this.ghosts, id);
    if (!g) return false;
    this.ghosts.delete(id);
    for (const k of g.buckets) this.buckets.delete(k);
    for (const m of g.memberships) {
      const [roomId, memberId] = m.split(' ') as [string, string];
      const rs = this.roomState.get(roomId);
      if (rs?.members.delete(memberId) && rs.members.size === 0) this.startGrace(roomId, now, graceMs);
    }
    for (const roomId of g.recent) this.roomState.get(roomId)?.recent.delete(id);
    this.endSession(now - g.record.createdAt, now);
    return true;
  }

  async ghostFootprint(id: string): Promise<FootprintRecord[]> {
    const g = this.live(this.ghosts, id);
    if (!g) return [];
    const e = this.ghosts.get(id)!;
    const items: [FootprintKind, number][] = [
      ...[...g.buckets].map((k): [FootprintKind, number] => ['rate-limit', this.buckets.get(k)?.expiresAt ?? 0]),
      ...[...g.memberships].map((m): [FootprintKind, number] => ['membership', this.rooms.get(m.split(' ')[0]!)?.expiresAt ?? 0]),
      ...[...g.recent].map((r): [FootprintKind, number] => ['membership', this.roomState.get(r)?.recent.get(id) ?? 0]),
    ];
    return summariseFootprint(e.expiresAt, g.buckets.size + g.memberships.size + g.recent.size > 0, items, this.clock());
  }

  // Rooms

  private startGrace(roomId: string, now: number, graceMs: number): void {
    const e = this.rooms.get(roomId);
    if (e) e.expiresAt = Math.min(e.value.expiresAt, now + graceMs);
  }

  async createRoom(room: RoomRecord, now: number, graceMs: number): Promise<boolean> {
    if (this.live(this.rooms, room.id)) return false;
    this.rooms.set(room.id, { value: { ...room }, expiresAt: Math.min(room.expiresAt, now + graceMs) });
    this.roomState.set(room.id, { members: new Map(), recent: new Map(), seq: 0, epoch: 0, heat: 0, heatAt: now });
    return true;
  }

  async getRoom(id: string): Promise<RoomRecord | null> {
    const r = this.live(this.rooms, id);
    return r ? { ...r } : null;
  }

  async deleteRoom(id: string): Promise<void> {
    this.rooms.delete(id);
    this.backlogs.delete(id);
    this.roomState.delete(id);
  }

  async joinRoom(roomId: string, memberId: string, ghostId: string, _now: number): Promise<JoinOutcome> {
    const room = this.live(this.rooms, roomId);
    if (!room) return { result: 'gone', room: null, members: [], seq: 0, epoch: 0 };
    const rs = this.roomState.get(roomId)!;
    const others = [...rs.members.keys()].filter((m) => m !== memberId);
    const out = (result: JoinOutcome['result']): JoinOutcome => ({ result, room: { ...room }, members: others, seq: rs.seq, epoch: rs.epoch });
    const ghost = this.live(this.ghosts, ghostId);
    if (!ghost) return out('no-ghost');
    if (!rs.members.has(memberId) && rs.members.size >= room.capacity) return out('full');
    rs.members.set(memberId, ghostId);
    ghost.memberships.add(`${roomId} ${memberId}`);
    this.rooms.get(roomId)!.expiresAt = room.expiresAt;
    return out('ok');
  }

  async leaveRoom(roomId: string, memberId: string, _ghostId: string, now: number, graceMs: number, rejoinGraceMs = ROOM_REJOIN_GRACE_SECONDS * 1000): Promise<number> {
    const room = this.live(this.rooms, roomId);
    const rs = room ? this.roomState.get(roomId) : undefined;
    if (!room || !rs) return 0;
    const ghostId = rs.members.get(memberId);
    if (ghostId === undefined) return rs.members.size;
    rs.members.delete(memberId);
    const ghost = this.ghosts.get(ghostId)?.value;
    ghost?.memberships.delete(`${roomId} ${memberId}`);
    if (room.invites && ghost && rejoinGraceMs > 0) {
      rs.recent.set(ghostId, Math.min(now + rejoinGraceMs, room.expiresAt));
      ghost.recent.add(roomId);
    }
    if (rs.members.size === 0) this.startGrace(roomId, now, graceMs);
    return rs.members.size;
  }

  async memberCount(roomId: string): Promise<number> {
    return this.live(this.rooms, roomId) ? (this.roomState.get(roomId)?.members.size ?? 0) : 0;
  }

  async isMember(roomId: string, ghostId: string): Promise<boolean> {
    if (!this.live(this.rooms, roomId)) return false;
    return [...(this.roomState.get(roomId)?.members.values() ?? [])].includes(ghostId);
  }

  async mayRejoin(roomId: string, ghostId: string, now: number): Promise<boolean> {
    if (await this.isMember(roomId, ghostId)) return true;
    return (this.roomState.get(roomId)?.recent.get(ghostId) ?? 0) > now;
  }

  async grantRejoin(roomId: string, ghostId: string, now: number, ms = ROOM_REJOIN_GRACE_SECONDS * 1000): Promise<void> {
    const room = this.live(this.rooms, roomId);
    const rs = this.roomState.get(roomId);
    const ghost = this.live(this.ghosts, ghostId);
    if (!room?.invites || !rs || !ghost) return;
    rs.recent.set(ghostId, Math.max(rs.recent.get(ghostId) ?? 0, Math.min(now + ms, room.expiresAt)));
    ghost.recent.add(roomId);
  }

  async nextSeq(roomId: string, now: number): Promise<SeqResult> {
    return this.sendFrame(roomId, { head: '', tail: '', backlogMax: 0, backlogExpiresAt: 0 }, now);
  }

  async sendFrame(roomId: string, plan: FramePlan, now: number): Promise<SeqResult> {
    return this.sendFrameNow(roomId, plan, now);
  }

  /** One process: nobody else to publish to; the caller hands the frame to its own members. */
  sendFrameNow(roomId: string, plan: FramePlan, now: number): SeqResult {
    const room = this.live(this.rooms, roomId);
    const rs = this.roomState.get(roomId);
    if (!room || !rs) return { seq: 0, members: 0 };
    return this.number(roomId, room, rs, plan, now);
  }

  /** Synchronous from the epoch check to the increment: no other commit can slip in between. */
  async commit(roomId: string, epoch: number, plan: FramePlan, now: number): Promise<CommitResult> {
    const room = this.live(this.rooms, roomId);
    const rs = this.roomState.get(roomId);
    if (!room || !rs) return { ok: false, epoch: 0, gone: true };
    if (rs.epoch !== epoch) return { ok: false, epoch: rs.epoch, gone: false };
    rs.epoch++;
    const { seq, members } = this.number(roomId, room, rs, plan, now);
    return { ok: true, seq, epoch: rs.epoch, members };
  }

  private number(roomId: string, room: RoomRecord, rs: RoomState, plan: FramePlan, now: number): SeqResult {
    const seq = ++rs.seq;
    if (room.public) {
      rs.heat = warmHeat(rs.heat, rs.heatAt, now);
      rs.heatAt = now;
    }
    if (plan.backlogMax > 0) {
      const expiresAt = Math.min(plan.backlogExpiresAt, room.expiresAt);
      this.appendBacklogNow(roomId, { seq, expiresAt, frame: plan.head + String(seq) + plan.tail }, plan.backlogMax);
    }
    this.countNow('msg', now);
    return { seq, members: rs.members.size };
  }

  async listPublicRooms(now: number, limit: number): Promise<PublicRoom[]> {
    const out: PublicRoom[] = [];
    for (const [id, e] of this.rooms) {
      if (e.expiresAt <= now || !e.value.public) continue;
      const rs = this.roomState.get(id)!;
      out.push({ room: { ...e.value }, participants: rs.members.size, heat: heatLevel(decayHeat(rs.heat, rs.heatAt, now)) });
    }
    return rankPublicRooms(out, limit);
  }

  // Limits and counters

  async takeToken(key: string, spec: BucketSpec, now: number, ghostId?: string, cost = 1): Promise<TakeResult> {
    const t = takeFromBucket(this.live(this.buckets, key), spec, now, cost);
    this.buckets.set(key, { value: { tokens: t.tokens, at: now }, expiresAt: now + t.ttlMs });
    if (ghostId) this.live(this.ghosts, ghostId)?.buckets.add(key);
    return { ok: t.ok, retryAfterMs: t.retryAfterMs };
  }

  async count(counter: Counter, now: number): Promise<void> {
    this.countNow(counter, now);
  }

  private countNow(counter: Counter, now: number): void {
    const key = `${counter}:${counterMinute(now)}`;
    const n = this.live(this.counters, key) ?? 0;
    this.counters.set(key, { value: n + 1, expiresAt: now + (COUNTER_BUCKETS + 1) * COUNTER_BUCKET_MS });
  }

  async recentCount(counter: Counter, now: number, minutes: number): Promise<number> {
    const cur = counterMinute(now);
    let n = 0;
    for (let m = cur - minutes; m <= cur; m++) n += this.live(this.counters, `${counter}:${m}`) ?? 0;
    return n;
  }

  async stats(now: number): Promise<StoreStats> {
    this.sweep();
    let publicRooms = 0;
    for (const e of this.rooms.values()) if (e.value.public) publicRooms++;
    const fresh = now - this.ended.since <= COUNTER_BUCKETS * COUNTER_BUCKET_MS;
    return {
      activeGhosts: this.ghosts.size,
      activeRooms: this.rooms.size,
      publicRooms,
      endedSessions: fresh ? this.ended.sessions : 0,
      endedSessionMs: fresh ? this.ended.ms : 0,
    };
  }
}

