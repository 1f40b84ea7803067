/** A socket as the heartbeat, the join deadline and the per-ghost cap see it. */
export interface Tracked {
  /** Set by a pong (or at open); cleared by each ping. */
  alive: boolean;
  /** The ghost this socket joined as, once known. */
  ghost: string | undefined;
  ping(): void;
  /** No pong since the last ping: close the socket. */
  timedOut(): void;
  /** Open for the join deadline without joining anything: close the socket. */
  purposeless(): void;
}

export interface RegistryLimits {
  heartbeatMs: number;
  maxSocketsPerGhost: number;
  /** A socket that has not joined a room within this long of opening (or of leaving its last one) is closed. */
  joinDeadlineMs: number;
}

/**
 * The per-instance state every socket of /ws and /signal shares: one
 * heartbeat sweep for all sockets, one timer for the join deadline of all
 * sockets that have not joined yet (not one timer per socket), and how many
 * sockets each ghost holds on this instance. The ghost cap is per instance:
 * best effort across several instances, where a ghost could hold
 * MAX_SOCKETS_PER_GHOST on each. Counts only: no address is kept.
 */
export class SocketRegistry<T extends Tracked = Tracked> {
  private readonly sockets = new Set<T>();
  private readonly ghosts = new Map<string, number>();
  /** Sockets waiting to join, with when their wait began. One deadline for all, so insertion order is deadline order. */
  private readonly unjoined = new Map<T, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: RegistryLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tracks a new socket; its join deadline starts now. */
  add(s: T): void {
    this.sockets.add(s);
    this.awaitJoin(s);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.tick(), this.limits.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  remove(s: T): void {
    if (!this.sockets.delete(s)) return;
    this.unjoined.delete(s);
    if (s.ghost !== undefined) {
      const n = (this.ghosts.get(s.ghost) ?? 1) - 1;
      if (n > 0) this.ghosts.set(s.ghost, n);
      else this.ghosts.delete(s.ghost);
    }
    if (this.sockets.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
      clearTimeout(this.deadline);
      this.deadline = undefined;
    }
  }

  /** The socket joined something: its deadline is off. */
  joined(s: T): void {
    this.unjoined.delete(s);
  }

  /** The socket holds nothing any more (it left its last room): a new deadline starts now. */
  awaitJoin(s: T): void {
    if (!this.sockets.has(s)) return;
    this.unjoined.delete(s);
    this.unjoined.set(s, this.now());
    this.scheduleDeadline();
  }

  /** Binds a socket to a ghost if the ghost is under its cap; false if it is at the cap. */
  claimGhost(s: T, ghost: string): boolean {
    if (s.ghost !== undefined) return true;
    const n = this.ghosts.get(ghost) ?? 0;
    if (n >= this.limits.maxSocketsPerGhost) return false;
    this.ghosts.set(ghost, n + 1);
    s.ghost = ghost;
    return true;
  }

  /** Sockets held by a ghost on this instance (tests and metrics). */
  socketsOf(ghost: string): number {
    return this.ghosts.get(ghost) ?? 0;
  }

  /** Open sockets on this instance, /ws and /signal together. */
  get size(): number {
    return this.sockets.size;
  }

  /** Every open socket (drain). */
  all(): T[] {
    return [...this.sockets];
  }

  private scheduleDeadline(): void {
    if (this.deadline) return;
    const first = this.unjoined.values().next();
    if (first.done) return;
    const wait = Math.max(0, first.value + this.limits.joinDeadlineMs - this.now());
    this.deadline = setTimeout(() => this.sweepDeadline(), wait);
    this.deadline.unref();
  }

  private sweepDeadline(): void {
    this.deadline = undefined;
    const cutoff = this.now() - this.limits.joinDeadlineMs;
    for (const [s, since] of this.unjoined) {
      if (since > cutoff) break;
      this.unjoined.delete(s);
      s.purposeless();
    }
    this.scheduleDeadline();
  }

  private tick(): void {
    for (const s of this.sockets) {
      if (!s.alive) {
        s.timedOut();
        continue;
      }
      s.alive = false;
      s.ping();
    }
  }
}
