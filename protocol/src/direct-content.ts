import { z } from 'zod';

/** A chat message in a direct session. */
export const directTextContentSchema = z.object({
  k: z.literal('text'),
  /** Random message id (base64url, 96 bits): dedupes replays after a reconnect. */
  id: z.string().min(8).max(32),
  body: z.string().max(3000),
  /** Sender's clock, epoch ms: for display only, never trusted for ordering. */
  at: z.number().int(),
});

/** Cover ("noise") packet: sealed and padded like a message, dropped by the receiver after decryption. */
export const coverContentSchema = z.object({ k: z.literal('cover') });

/** An SDP description, carried sealed inside an `rtc` frame on /signal. */
export const descriptionContentSchema = z.object({
  k: z.literal('description'),
  description: z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(32_000) }),
});

/** An ICE candidate, carried sealed inside an `rtc` frame on /signal. */
export const candidateContentSchema = z.object({
  k: z.literal('candidate'),
  candidate: z.object({
    candidate: z.string().max(1024),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  }),
});

/**
 * What is inside a sealed direct-mode frame once decrypted. The relay never
 * sees this: data-channel frames never touch it, and fallback or signaling
 * frames reach it sealed.
 */
export const directContentSchema = z.discriminatedUnion('k', [directTextContentSchema, coverContentSchema, descriptionContentSchema, candidateContentSchema]);
export type DirectContent = z.infer<typeof directContentSchema>;
