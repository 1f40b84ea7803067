import { z } from 'zod';
import { base64urlLength, versionSchema } from './common.js';

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Bytes of an uncompressed P-384 public point (0x04 ‖ x ‖ y). */
export const P384_PUBLIC_KEY_BYTES = 97;

/**
 * Both directions on /signal: an ephemeral ECDH public key, forwarded as-is
 * to the other peer. `alg` names the curve so another one can be added
 * without ambiguity; today only P-384.
 */
export const signalKeySchema = z.object({
  v: versionSchema,
  type: z.literal('key'),
  alg: z.literal('P-384'),
  pub: z.string().length(base64urlLength(P384_PUBLIC_KEY_BYTES)).regex(B64URL),
});
export type SignalKey = z.infer<typeof signalKeySchema>;

/** Bytes of a key-confirmation tag (HMAC-SHA-256). */
export const CONFIRM_TAG_BYTES = 32;

/**
 * Both directions on /signal: the sender's key-confirmation tag over the
 * transcript (see protocol/src/crypto/direct.ts). A peer whose tag does not
 * verify derived another key: someone swapped the public keys.
 */
export const signalConfirmSchema = z.object({
  v: versionSchema,
  type: z.literal('confirm'),
  mac: z.string().length(base64urlLength(CONFIRM_TAG_BYTES)).regex(B64URL),
});
export type SignalConfirm = z.infer<typeof signalConfirmSchema>;
