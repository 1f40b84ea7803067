import { z } from 'zod';

/** One entry of RTCConfiguration.iceServers. */
export const iceServerSchema = z.object({
  urls: z.array(z.string().regex(/^(stun|stuns|turn|turns):/).max(512)).min(1).max(16),
  /** TURN REST scheme: `<expiry-unix-seconds>:<random>`. */
  username: z.string().max(256).optional(),
  /** TURN REST scheme: base64(HMAC-SHA1(shared secret, username)), as coturn's `use-auth-secret` expects. */
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

/** GET /api/ice → the ICE servers from the relay's config; TURN credentials expire at `expiresAt`. */
export const iceResponseSchema = z.object({
  iceServers: z.array(iceServerSchema).max(16),
  /** Whether a TURN server is offered: without one, "hide my IP" cannot connect peer to peer. */
  turn: z.boolean(),
  /** Epoch ms when the TURN credentials expire; null without TURN. */
  expiresAt: z.number().int().nullable(),
});
export type IceResponse = z.infer<typeof iceResponseSchema>;
