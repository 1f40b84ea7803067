import { z } from 'zod';
import { powSolutionSchema } from './pow.js';

const B64URL = /^[A-Za-z0-9_-]+$/;

/** A ghost id: 128 random bits, base64url. No timestamp: creation time is linkable metadata. */
export const ghostIdSchema = z.string().length(22).regex(B64URL);

/** The signing algorithms a ghost's key may use (DESIGN §3). */
export const GHOST_KEY_ALGS = ['ECDSA-P256', 'Ed25519'] as const;
export type GhostKeyAlg = (typeof GHOST_KEY_ALGS)[number];

/** POST /api/ghosts — a solved proof of work and the ghost's public signing key (SPKI, base64url). */
export const createGhostRequestSchema = z.object({
  pow: powSolutionSchema,
  publicKey: z.string().min(40).max(200).regex(B64URL),
  alg: z.enum(GHOST_KEY_ALGS).default('ECDSA-P256'),
});
export type CreateGhostRequest = z.input<typeof createGhostRequestSchema>;

/** The session token is shown once; the relay keeps only its hash. Send it as `Authorization: Bearer <token>`. */
export const createGhostResponseSchema = z.object({
  ghostId: ghostIdSchema,
  token: z.string().min(16).max(128),
  /** When the session ends unless there is activity (sliding, GHOST_SESSION_TTL_SECONDS). */
  expiresAt: z.number().int(),
  /** When the ghost ends whatever happens (GHOST_MAX_TTL_SECONDS). */
  hardExpiresAt: z.number().int(),
});
export type CreateGhostResponse = z.infer<typeof createGhostResponseSchema>;

/** POST /api/ghosts/me/destroy — the panic path: navigator.sendBeacon cannot set headers, so the token rides in the body. */
export const destroyGhostRequestSchema = z.object({
  token: z.string().min(16).max(128),
});
export type DestroyGhostRequest = z.infer<typeof destroyGhostRequestSchema>;

/** Kinds of record the relay may hold about a ghost. */
export const FOOTPRINT_KINDS = ['ghost', 'key-index', 'rate-limit', 'membership'] as const;

/** GET /api/ghosts/me/footprint — every record the relay holds about this ghost right now, and when each expires. */
export const footprintResponseSchema = z.object({
  ghostId: ghostIdSchema,
  records: z.array(
    z.object({
      kind: z.enum(FOOTPRINT_KINDS),
      /** How many records of this kind. */
      count: z.number().int().min(0),
      /** Epoch ms when the last of them expires. */
      expiresAt: z.number().int(),
    }),
  ),
});
export type FootprintResponse = z.infer<typeof footprintResponseSchema>;
