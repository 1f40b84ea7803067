import type { WsLimits } from '../config.js';

/** A socket as the heartbeat and the per-ghost cap see it. */
export interface Tracked {
  /** Set by a pong (or at open); cleared by each ping. */
  alive: boolean;
  /** The ghost this socket joined as, once known. */
  ghost: string | undefined;
  ping(): void;
  /** No pong since the last ping: close the socket. */
  timedOut(): void;
}

/**
 * The per-app state every /ws socket shares: one heartbeat timer for all
 * sockets (not one per socket), and how many sockets each ghost holds on this
 * instance. The ghost cap is per instance: best effort across several
 * instances, where a ghost could hold MAX_SOCKETS_PER_GHOST on each.
 */
export class SocketRegistry {
  private readonly sockets = new Set<Tracked>();
  private readonly ghosts = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly limits: WsLimits) {}

  add(s: Tracked): void {
    this.sockets.add(s);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.limits.heartbeatMs);
      this.timer.unref();
    }
  }

  remove(s: Tracked): void {
    if (!this.sockets.delete(s)) return;
    if (s.ghost !== undefined) {
      const n = (this.ghosts.get(s.ghost) ?? 1) - 1;
      if (n > 0) this.ghosts.set(s.ghost, n);
      else this.ghosts.delete(s.ghost);
    }
    if (this.sockets.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Binds a socket to a ghost if the ghost is under its cap; false if it is at the cap. */
  claimGhost(s: Tracked, ghost: string): boolean {
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

  get size(): number {
    return this.sockets.size;
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
