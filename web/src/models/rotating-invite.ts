import { signal, type ReadonlySignal } from '@preact/signals';
import { INVITE_QR_REFRESH_SECONDS } from '../../../protocol/src/limits.js';

export interface RotatingInviteState {
  /** The invite link with the current ticket; null until one is minted, or when the last one could not be renewed. */
  link: string | null;
  /** When the link is replaced by a fresh one (epoch ms). */
  refreshAt: number;
  /** A sentence when the relay gave no fresh ticket (it is tried again soon). */
  error: string | null;
}

export interface RotatingInviteDeps {
  /** Mints a ticket through the relay (RoomSession.mintTicket). */
  mint(): Promise<{ ticket: string; expiresAt: number }>;
  /** The invite link carrying a ticket (RoomSession.linkWith). */
  linkFor(ticket: string): string;
  now?: () => number;
  refreshMs?: number;
  retryMs?: number;
}

/** Leave this much of a ticket's life unused, so a link shown until its refresh still admits whoever scans it last. */
const SPARE_MS = 3_000;
const RETRY_MS = 3_000;

/**
 * The invite link of a room with rotating invites: a fresh ticket every
 * INVITE_QR_REFRESH_SECONDS (or sooner, before the ticket runs out), while
 * started. Stopping forgets the link, so no stale ticket stays on screen.
 */
export class RotatingInvite {
  private readonly store = signal<RotatingInviteState>({ link: null, refreshAt: 0, error: null });
  readonly state: ReadonlySignal<RotatingInviteState> = this.store;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private expiresAt = 0;
  private readonly now: () => number;

  constructor(private readonly deps: RotatingInviteDeps) {
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.refresh();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.expiresAt = 0;
    this.store.value = { link: null, refreshAt: 0, error: null };
  }

  private async refresh(): Promise<void> {
    try {
      const { ticket, expiresAt } = await this.deps.mint();
      if (!this.running) return;
      const now = this.now();
      const refreshAt = Math.min(now + (this.deps.refreshMs ?? INVITE_QR_REFRESH_SECONDS * 1000), expiresAt - SPARE_MS);
      this.expiresAt = expiresAt;
      this.store.value = { link: this.deps.linkFor(ticket), refreshAt, error: null };
      this.schedule(refreshAt - now);
    } catch {
      if (!this.running) return;
      const retryMs = this.deps.retryMs ?? RETRY_MS;
      // The last link stays only while its ticket still admits someone.
      const keep = this.expiresAt - SPARE_MS > this.now() ? this.store.value.link : null;
      this.store.value = {
        link: keep,
        refreshAt: this.now() + retryMs,
        error: 'The relay did not hand out a fresh invite just now (this device may be reconnecting). Trying again in a few seconds.',
      };
      this.schedule(retryMs);
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(500, ms));
  }
}
