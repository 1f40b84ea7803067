import { z } from 'zod';
import { DIRECT_FRAME_BYTES } from '../limits.js';
import { base64urlLength, versionSchema } from './common.js';

const B64URL = /^[A-Za-z0-9_-]+$/;

/** A direct-mode frame sealed with the session key, base64url: exactly DIRECT_FRAME_BYTES once decoded. */
export const sealedDirectFrameSchema = z
  .string()
  .regex(B64URL)
  .length(base64urlLength(DIRECT_FRAME_BYTES), { error: `sealed direct frames are exactly ${DIRECT_FRAME_BYTES} bytes` });

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
