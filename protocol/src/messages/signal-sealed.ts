import { z } from 'zod';
import { DIRECT_FRAME_UNIT_BYTES, DIRECT_MAX_FRAME_BYTES } from '../limits.js';
import { base64urlLength, versionSchema } from './common.js';

const B64URL = /^[A-Za-z0-9_-]+$/;
const SEALED_LENGTHS = new Set(
  Array.from({ length: DIRECT_MAX_FRAME_BYTES / DIRECT_FRAME_UNIT_BYTES }, (_, i) => base64urlLength((i + 1) * DIRECT_FRAME_UNIT_BYTES)),
);

/** A direct-mode frame sealed with the session key, base64url: a multiple of DIRECT_FRAME_UNIT_BYTES, at most DIRECT_MAX_FRAME_BYTES. */
export const sealedDirectFrameSchema = z
  .string()
  .regex(B64URL)
  .refine((s) => SEALED_LENGTHS.has(s.length), {
    error: `sealed direct frames are a multiple of ${DIRECT_FRAME_UNIT_BYTES} bytes, at most ${DIRECT_MAX_FRAME_BYTES}`,
  });

/**
 * Both directions on /signal: an SDP description or ICE candidate, sealed
 * with the session key after key confirmation, so the signaling server
 * learns no local addresses and cannot alter the DTLS fingerprints.
 */
export const signalRtcSchema = z.object({
  v: versionSchema,
  type: z.literal('rtc'),
  data: sealedDirectFrameSchema,
});
export type SignalRtc = z.infer<typeof signalRtcSchema>;

/**
 * Both directions on /signal: a sealed chat or cover frame, when the peers
 * chose to continue through the relay because no WebRTC path connected.
 */
export const signalDataSchema = z.object({
  v: versionSchema,
  type: z.literal('data'),
  data: sealedDirectFrameSchema,
});
export type SignalData = z.infer<typeof signalDataSchema>;
