import { z } from 'zod';
import { DIRECT_MAX_PARTS, DIRECT_MAX_TEXT_CHARS } from './limits.js';

/** Bytes of content one part carries: a multiple of 3, so its base64url has no padding, and the part's JSON fits one frame. */
export const DIRECT_PART_DATA_BYTES = 2976;

/** A chat message in a direct session. */
export const directTextContentSchema = z.object({
  k: z.literal('text'),
  /** Random message id (base64url, 96 bits): dedupes replays after a reconnect, and names the message in its receipt. */
  id: z.string().min(8).max(32),
  body: z.string().max(DIRECT_MAX_TEXT_CHARS),
  /** Sender's clock, epoch ms: for display only, never trusted for ordering. */
  at: z.number().int(),
});

/** Cover ("noise") packet: sealed and padded like a message, dropped by the receiver after decryption. */
export const coverContentSchema = z.object({ k: z.literal('cover') });

/** Delivery receipt: the receiver's app got and showed the text message `id`. Sealed, so only the peer can make one. */
export const ackContentSchema = z.object({ k: z.literal('ack'), id: z.string().min(8).max(32) });

/**
 * A side's session preferences, sent when the path opens and whenever they
 * change. Cover traffic runs both ways when either side asks for it.
 */
export const prefsContentSchema = z.object({ k: z.literal('prefs'), cover: z.boolean() });

/**
 * One part of a content too long for one frame: `d` is bytes
 * [i × DIRECT_PART_DATA_BYTES, …) of the content's JSON, base64url. Parts of
 * one content share `m`; the joined bytes are one non-part content.
 */
export const partContentSchema = z.object({
  k: z.literal('part'),
  m: z.string().regex(/^[\w-]{16}$/),
  i: z.number().int().min(0).max(DIRECT_MAX_PARTS - 1),
  n: z.number().int().min(2).max(DIRECT_MAX_PARTS),
  d: z
    .string()
    .regex(/^[\w-]+$/)
    .max(Math.ceil((DIRECT_PART_DATA_BYTES * 4) / 3)),
});
export type PartContent = z.infer<typeof partContentSchema>;

/** An SDP description, carried sealed inside `rtc` frames on /signal. */
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
export const directContentSchema = z.discriminatedUnion('k', [
  directTextContentSchema,
  coverContentSchema,
  ackContentSchema,
  prefsContentSchema,
  partContentSchema,
  descriptionContentSchema,
  candidateContentSchema,
]);
export type DirectContent = z.infer<typeof directContentSchema>;
/** Content that is not a part: what parts join into. */
export type WholeDirectContent = Exclude<DirectContent, PartContent>;
