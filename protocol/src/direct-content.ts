import { z } from 'zod';
import { textContentSchema } from './content.js';

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
export const directContentSchema = z.discriminatedUnion('k', [textContentSchema, coverContentSchema, descriptionContentSchema, candidateContentSchema]);
export type DirectContent = z.infer<typeof directContentSchema>;
