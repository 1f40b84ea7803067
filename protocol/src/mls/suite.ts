import {
  defaultKeyPackageEqualityConfig,
  defaultLifetimeConfig,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type ClientConfig,
  type Credential,
  type CiphersuiteName,
} from 'ts-mls';
import { parseIdentity } from './identity.js';

/**
 * RFC 9420 §17.1 suite 1: X25519 HPKE, AES-128-GCM, SHA-256, Ed25519. Every
 * primitive is in WebCrypto in current browsers, so ts-mls loads no @noble code
 * for it (see protocol/doc/mls-notes.md for why not P-256 or X-Wing).
 */
export const MLS_SUITE: CiphersuiteName = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';

/**
 * Past epochs whose receive keys are kept, so a frame sent just before a commit
 * still opens after it. Bounded: every kept epoch is key material a later
 * compromise would expose.
 */
export const MLS_RETAINED_EPOCHS = 4;

/** Out-of-order generations kept per sender within an epoch (late frames from one member). */
const RETAINED_GENERATIONS = 32;

/**
 * Private messages are padded to at least this many bytes, so the relay sees
 * short chat lines as one size (RFC 9420 §6.3.1 padding).
 */
const PAD_UNTIL = 256;

let impl: Promise<CiphersuiteImpl> | undefined;

/** The suite's primitives, built once per process. */
export function suiteImpl(): Promise<CiphersuiteImpl> {
  impl ??= getCiphersuiteImpl(getCiphersuiteFromName(MLS_SUITE));
  return impl;
}

/**
 * True when this platform's WebCrypto has both X25519 and Ed25519 (Chromium ≥ 137
 * for Ed25519, Firefox ≥ 130 for X25519). Probed, not read from the user agent.
 */
export async function mlsSupported(): Promise<boolean> {
  try {
    const subtle = globalThis.crypto.subtle;
    const ed = await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    await subtle.sign({ name: 'Ed25519' }, ed.privateKey, new Uint8Array(1));
    const a = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
    const b = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
    await subtle.deriveBits({ name: 'X25519', public: b.publicKey }, a.privateKey, 256);
    return true;
  } catch {
    return false;
  }
}

/**
 * Only basic credentials holding a well-formed Ghostwire identity are
 * accepted. The credential is not a certificate: who a member is comes from
 * the invite key (who may join) and the safety code (who is in the group).
 */
const authService = {
  validateCredential(credential: Credential): Promise<boolean> {
    return Promise.resolve(credential.credentialType === 'basic' && parseIdentity(credential.identity) !== undefined);
  },
};

/** The ts-mls client configuration every room uses. */
export const clientConfig: ClientConfig = {
  keyRetentionConfig: {
    retainKeysForEpochs: MLS_RETAINED_EPOCHS,
    retainKeysForGenerations: RETAINED_GENERATIONS,
    maximumForwardRatchetSteps: 1000,
  },
  // Phone clocks drift and rooms are short-lived: lifetimes are set but not enforced on receive.
  lifetimeConfig: defaultLifetimeConfig,
  keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
  paddingConfig: { kind: 'padUntilLength', padUntilLength: PAD_UNTIL },
  authService,
};
