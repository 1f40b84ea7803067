import { z } from 'zod';
import { MAX_IMAGE_BYTES, MAX_MESSAGE_BYTES, MAX_MESSAGE_PARTS, MAX_TEXT_CHARS, MAX_TIME_LOCK_MS } from './limits.js';

/**
 * What is inside a sealed room frame once decrypted (the relay never sees
 * any of this). Versioned with the protocol all the same, since clients of
 * different builds must read each other. Layers, outside in:
 *
 *   sealed frame  = IV ‖ AES-256-GCM(pad(envelope))              (crypto/seal.ts)
 *   envelope      = version ‖ alg ‖ pk ‖ signature ‖ part         (crypto/envelope.ts)
 *   part          = u16 length ‖ partHeader JSON ‖ data slice      (crypto/chunk.ts)
 *   message bytes = the parts' data joined: u16 length ‖ messageMeta JSON ‖ attachment
 *
 * Every part is signed on its own (crypto/sign.ts signedRoomData), so a
 * message is accepted only if all its parts verify under one bound key.
 * Every part header carries the sender's stream id and counter inside that
 * signature, so a receiver detects a message the relay dropped (a gap),
 * delivered out of order, or delivered twice (crypto/streams.ts).
 */

/** A random message id (base64url, 96 bits): groups parts and dedupes replays. */
export const messageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16}$/);

/** A sender's stream id (64 random bits, base64url: 11 characters): drawn when a key starts sending, the epoch of its counter. */
export const streamIdSchema = z.string().regex(/^[A-Za-z0-9_-]{11}$/);

/** Which part of which message this frame carries, and where the message stands in its sender's sequence. */
export const partHeaderSchema = z
  .object({
    /** Message id. */
    m: messageIdSchema,
    /** Sender's stream (the epoch of its counter): one per signing key per sending session. */
    s: streamIdSchema.describe("The sender's stream: drawn when a signing key starts sending (the epoch of its counter)."),
    /** Sender counter: 1 for the stream's first message, one more for each message after; the same on every part of a message. Signed, so the relay cannot renumber. */
    c: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe("Sender counter: 1 for the stream's first message, one more per message; the same on every part."),
    /** Part index, 0-based. */
    i: z.number().int().min(0),
    /** Number of parts. */
    n: z.number().int().min(1).max(MAX_MESSAGE_PARTS),
    /** Total message bytes (what reassembly reserves). */
    len: z.number().int().min(2).max(MAX_MESSAGE_BYTES),
  })
  .refine((h) => h.i < h.n, 'part index must be below the part count');
export type PartHeader = z.infer<typeof partHeaderSchema>;

/** Client-enforced display rules, labelled as such in the UI: the bytes are on the device either way. */
const displayRules = {
  /** Epoch ms before which recipients do not show the content (time-locked). */
  releaseAt: z.number().int().min(0).optional(),
  /** Shown once, then removed from memory and screen (read-once). */
  once: z.boolean().optional(),
};

export const textMetaSchema = z.object({
  k: z.literal('text'),
  body: z.string().min(1).max(MAX_TEXT_CHARS),
  /** Sender's clock, epoch ms: for display only, never trusted for ordering. */
  at: z.number().int(),
  ...displayRules,
});

export const IMAGE_MIME_TYPES = ['image/jpeg', 'image/webp', 'image/png'] as const;
export const imageMetaSchema = z.object({
  k: z.literal('image'),
  /** Type of the re-encoded, metadata-free image that follows as the attachment. */
  mime: z.enum(IMAGE_MIME_TYPES),
  bytes: z.number().int().min(1).max(MAX_IMAGE_BYTES),
  w: z.number().int().min(1).max(16_384),
  h: z.number().int().min(1).max(16_384),
  at: z.number().int(),
  ...displayRules,
});

export const messageMetaSchema = z.discriminatedUnion('k', [textMetaSchema, imageMetaSchema]);
export type MessageMeta = z.infer<typeof messageMetaSchema>;

/** The furthest ahead a release time may be, relative to the receiver's clock. */
export const isReleaseAtSane = (releaseAt: number, now: number): boolean => releaseAt - now <= MAX_TIME_LOCK_MS;

/** Kept for the schema hash: the whole decrypted-content description. */
export const roomContentSchema = z.object({ part: partHeaderSchema, meta: messageMetaSchema });
export type RoomContent = z.infer<typeof roomContentSchema>;
