import { z } from 'zod';
import { toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { createGhostResponseSchema, footprintResponseSchema, type CreateGhostRequest, type FootprintResponse } from '../../../protocol/src/messages/ghosts-api.js';
import { powChallengeSchema, type PowSolution } from '../../../protocol/src/messages/pow.js';
import { GHOST_SESSION_TTL_SECONDS } from '../../../protocol/src/limits.js';
import { solvePow } from '../../../protocol/src/pow.js';
import { ghostView } from '../ghost-view.js';
import { getJson, postJson, requestJson } from '../net/api.js';
import { destroyBeacon, setRemoteDestroy } from '../panic/remote.js';
import { PowCancelled, solveInWorker, type PowWorkerProgress } from '../pow/solve.js';
import { UserError } from '../user-message.js';
import { registerWipe } from '../wipe.js';

/** How a ghost is made: progress of the proof of work, and a signal that cancels it. */
export interface GhostCreateOptions {
  onProgress?: (p: PowWorkerProgress) => void;
  signal?: AbortSignal;
}

/**
 * Fetches a challenge from the relay and solves it in a Web Worker (so the
 * page stays responsive and shows progress); on the main thread only where
 * Workers do not exist (Node tests, very old browsers).
 */
export async function solveRelayPow(origin: string, fetchImpl: typeof fetch = fetch, opts: GhostCreateOptions = {}): Promise<PowSolution> {
  const ch = await getJson(`${origin}/api/pow`, powChallengeSchema, fetchImpl);
  if (typeof Worker === 'undefined') {
    if (opts.signal?.aborted) throw new PowCancelled();
    return { challenge: ch.challenge, nonces: solvePow(ch) };
  }
  return { challenge: ch.challenge, nonces: await solveInWorker(ch, opts.onProgress, opts.signal) };
}

/**
 * This tab's ghost: a throwaway session on the relay, and nothing people see.
 * What members see is a per-room name from a signing key each room makes for
 * itself (models/room.ts), so two rooms cannot tell they share a person; the
 * ghost has no name of its own. Its session token lives in this object only,
 * never in storage. wipe() forgets it; a JavaScript string cannot be zeroed,
 * so forgetting the token is best effort.
 */
export class GhostSession {
  private token: string | null;
  private readonly unregister: () => void;

  private constructor(
    readonly id: string,
    token: string,
    readonly expiresAt: number,
    private readonly origin: string,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.token = token;
    this.unregister = registerWipe(() => this.wipe());
    // Panic runs wipeAll() first, then this: the beacon keeps its own copy of the token.
    if (typeof navigator !== 'undefined' && 'sendBeacon' in navigator) setRemoteDestroy(destroyBeacon(origin, token));
  }

  /**
   * Proof of work, then POST /api/ghosts. The relay's API asks for a public
   * key per ghost; nothing signs with it and nobody sees a name from it, so
   * the private half is dropped here and never held.
   */
  static async create(origin: string, fetchImpl: typeof fetch = fetch, opts: GhostCreateOptions = {}): Promise<GhostSession> {
    const pow = await solveRelayPow(origin, fetchImpl, opts);
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const publicKey = toBase64url(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
    const body: CreateGhostRequest = { pow, publicKey, alg: 'ECDSA-P256' };
    if (opts.signal?.aborted) throw new PowCancelled();
    const g = await postJson(`${origin}/api/ghosts`, body, createGhostResponseSchema, fetchImpl);
    // A fresh ghost's session ends GHOST_IDLE_MS from now: that fixes the relay's clock against ours.
    const clockOffsetMs = Date.now() + GHOST_IDLE_MS - g.expiresAt;
    ghostView.value = {
      id: g.ghostId,
      expiresAt: g.expiresAt + clockOffsetMs,
      hardExpiresAt: g.hardExpiresAt + clockOffsetMs,
      clockOffsetMs,
    };
    return new GhostSession(g.ghostId, g.token, g.expiresAt, origin, fetchImpl);
  }

  /** The bearer token for API calls; throws once wiped. */
  get bearer(): string {
    if (!this.token) throw new UserError('This ghost was wiped. Reload the page to start a new one.');
    return this.token;
  }

  get alive(): boolean {
    return this.token !== null;
  }

  /** What the relay holds about this ghost right now (the Privacy page's data footprint). */
  async footprint(): Promise<FootprintResponse> {
    const f = await getJson(`${this.origin}/api/ghosts/me/footprint`, footprintResponseSchema, this.fetchImpl, this.bearer);
    // Any authenticated call slides the idle timer; the ghost record says where it now ends.
    const own = f.records.find((r) => r.kind === 'ghost');
    const view = ghostView.value;
    if (own && view && view.id === this.id) ghostView.value = { ...view, expiresAt: own.expiresAt + view.clockOffsetMs };
    return f;
  }

  /** Keeps the session alive (the "Stay" button): an authenticated call slides the relay's idle timer. */
  async touch(): Promise<void> {
    await this.footprint();
  }

  /** Destroys the ghost on the relay (every key, every socket), then forgets it here. */
  async destroy(): Promise<void> {
    const token = this.token;
    this.wipe();
    setRemoteDestroy(null);
    if (token) await requestJson('DELETE', `${this.origin}/api/ghosts/me`, undefined, z.null(), this.fetchImpl, token);
  }

  /** The panic path: a beacon survives the page going away; returns whether the browser queued it. */
  beaconDestroy(): boolean {
    const token = this.token;
    this.wipe();
    if (!token || typeof navigator === 'undefined' || !navigator.sendBeacon) return false;
    return navigator.sendBeacon(`${this.origin}/api/ghosts/me/destroy`, JSON.stringify({ token }));
  }

  wipe(): void {
    this.token = null;
    if (current === this) {
      current = null;
      currentPromise = null;
    }
    if (ghostView.value?.id === this.id) ghostView.value = null;
    this.unregister();
  }
}

let currentPromise: Promise<GhostSession> | null = null;
let current: GhostSession | null = null;

/** This tab's ghost, created on first use (and again after a wipe or a failed attempt). */
export function ensureGhost(origin: string, fetchImpl: typeof fetch = fetch, opts: GhostCreateOptions = {}): Promise<GhostSession> {
  currentPromise ??= GhostSession.create(origin, fetchImpl, opts).then(
    (g) => (current = g),
    (err: unknown) => {
      currentPromise = null;
      throw err;
    },
  );
  return currentPromise;
}

/**
 * This tab's ghost once the one being created is ready (null if none is, or it
 * fails). Its view is shown a moment before the session is handed over, so a
 * page opened in that moment waits here instead of finding no ghost.
 */
export function settledGhost(): Promise<GhostSession | null> {
  return current ? Promise.resolve(current) : (currentPromise?.catch(() => null) ?? Promise.resolve(null));
}

/** The idle timeout the relay applies (sliding), for the idle warning. */
export const GHOST_IDLE_MS = GHOST_SESSION_TTL_SECONDS * 1000;

/** The tab's ghost if one exists now (the panic path reads it synchronously). */
export function currentGhost(): GhostSession | null {
  return current;
}
