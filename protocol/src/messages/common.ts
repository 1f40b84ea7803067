import { z } from 'zod';
import { CHAT_FRAME_BYTES, HANDSHAKE_MAX_BYTES, MEDIA_FRAME_BYTES } from '../limits.js';
import { PROTOCOL_VERSION } from '../version.js';

/** Length of base64url (no padding) for n bytes. */
export const base64urlLength = (n: number): number => Math.ceil((n * 4) / 3);

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Every message carries the protocol version it was written for. */
export const versionSchema = z.literal(PROTOCOL_VERSION).describe('The protocol version (PROTOCOL_VERSION).');

/** A room id: 128 bits derived from the room secret, base64url. */
export const roomIdSchema = z.string().length(base64urlLength(16)).regex(B64URL).describe('Room id: 128 bits derived from the room secret, base64url (22 chars).');

/** A member id: 128 random bits minted by the relay per connection and room. */
export const memberIdSchema = z.string().length(base64urlLength(16)).regex(B64URL).describe('Member id: 128 random bits per join, base64url (22 chars).');

/** A sealed frame, base64url: exactly CHAT_FRAME_BYTES or MEDIA_FRAME_BYTES once decoded. */
export const sealedFrameSchema = z
  .string()
  .regex(B64URL)
  .refine(
    (s) => s.length === base64urlLength(CHAT_FRAME_BYTES) || s.length === base64urlLength(MEDIA_FRAME_BYTES),
    { error: `sealed frames are exactly ${CHAT_FRAME_BYTES} or ${MEDIA_FRAME_BYTES} bytes` },
  )
  .describe(`A sealed frame, base64url without padding: exactly ${CHAT_FRAME_BYTES} (chat) or ${MEDIA_FRAME_BYTES} (media) bytes once decoded.`);

/** A client-chosen correlation number echoed in acks and errors. */
export const refSchema = z.number().int().min(0).max(2 ** 31 - 1).describe('A number the client chose; the ack or error for this message echoes it.');

/** An opaque MLS handshake blob (a Commit or a Welcome, RFC 9420), base64url: at most HANDSHAKE_MAX_BYTES once decoded. */
export const handshakeSchema = z
  .string()
  .min(1)
  .max(base64urlLength(HANDSHAKE_MAX_BYTES))
  .regex(B64URL)
  .describe(`An opaque MLS handshake message (RFC 9420), base64url without padding: at most ${HANDSHAKE_MAX_BYTES} bytes once decoded.`);

/** A room's MLS epoch as the relay orders it: 0 for a new room, one more per accepted commit. */
export const epochSchema = z.number().int().min(0).describe("An MLS epoch of the room (0 for a new room; each accepted commit adds one).");
