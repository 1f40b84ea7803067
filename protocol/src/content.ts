import { z } from 'zod';

/**
 * What is inside a sealed room frame once decrypted. The relay never sees
 * this; it is versioned with the protocol all the same, since clients of
 * different builds must read each other.
 */
export const textContentSchema = z.object({
  k: z.literal('text'),
  /** Random message id (base64url, 96 bits): dedupes reconnect replays. */
  id: z.string().min(8).max(32),
  body: z.string().max(3000),
  /** Sender's clock, epoch ms: for display only, never trusted for ordering. */
  at: z.number().int(),
});
export const roomContentSchema = z.discriminatedUnion('k', [textContentSchema]);
export type RoomContent = z.infer<typeof roomContentSchema>;
