import { signal } from '@preact/signals';
import type { SiteResidue } from './site-check.js';

/**
 * What the pages show about this tab's ghost, without loading the ghost
 * model (and its crypto) into the landing page's initial bundle. The ghost
 * model (models/ghost.ts) writes it; wipe clears it. Memory only.
 */
export interface GhostView {
  id: string;
  /** When the relay ends the session unless there is activity (sliding). */
  expiresAt: number;
  /** When the ghost ends whatever happens. */
  hardExpiresAt: number;
  /**
   * Add to a relay timestamp to get this device's clock (both times above are
   * already converted): estimated when the ghost was created, so a device
   * clock that is minutes off does not make the idle warning lie.
   */
  clockOffsetMs: number;
}

export const ghostView = signal<GhostView | null>(null);

/** What the last voluntary self-destruct removed, for the Farewell page. */
export interface FarewellReport {
  ghostDestroyedOnRelay: boolean;
  /** Why the relay part failed, when it did (the local wipe ran anyway). */
  relayError?: string;
  rooms: number;
  holders: number;
  /** Whether the relay answered the request for Clear-Site-Data (the browser decides whether to apply it). */
  clearSiteAsked: boolean;
  /** What the browser still held for the site afterwards, read back (null: not readable here). */
  residue: SiteResidue | null;
}

export const farewell = signal<FarewellReport | null>(null);

/** Notes activity that slides the relay's idle timer (any authenticated call or socket frame); device clock. */
export function noteGhostActivity(sessionTtlMs: number, now = Date.now()): void {
  const g = ghostView.value;
  if (g) ghostView.value = { ...g, expiresAt: Math.min(now + sessionTtlMs, g.hardExpiresAt) };
}
