import { toBase64url } from '../../../protocol/src/crypto/bytes.js';
import {
  confirmTag,
  deriveDirectKeys,
  generateEphemeral,
  isPolite,
  safetyNumber,
  verifyConfirm,
  type DirectKeys,
  type EphemeralKey,
  type SafetyNumber,
} from '../../../protocol/src/crypto/direct.js';
import type { AuditEvent } from './audit.js';

export const REFUSED_MESSAGE =
  'Stopped before anything was sent: your two devices ended up with different keys, which means someone between you (possibly the signaling server) swapped them. Ask for a new direct link, and compare the safety number in person.';
export const INVALID_KEY_MESSAGE = 'Stopped: the other device sent a key that is not valid. Ask for a new direct link.';

export interface KeyAgreementDeps {
  /** The link secret D, or null in stranger mode. */
  secret: Uint8Array<ArrayBuffer> | null;
  sendKey(pub: string): void;
  sendConfirm(mac: string): void;
  log(kind: AuditEvent['kind'], text: string, ok?: boolean): void;
  onSafetyNumber(n: SafetyNumber): void;
}

export type KeyOutcome = { ok: true; keys: DirectKeys; polite: boolean } | { ok: false; reason: string };

/**
 * One attempt at agreeing on a session key with one peer: send my ephemeral
 * public key, derive from theirs and D, exchange confirmation tags. Resolves
 * to an outcome once both tags are in; a new peer needs a new KeyAgreement.
 */
export class KeyAgreement {
  private mine: Promise<EphemeralKey> | undefined;
  private keys: DirectKeys | undefined;
  private peerTag: Uint8Array<ArrayBuffer> | undefined;
  private done = false;

  constructor(private readonly deps: KeyAgreementDeps) {}

  /** Creates and sends my key pair once, however often it is asked. */
  begin(): Promise<EphemeralKey> {
    this.mine ??= generateEphemeral().then((k) => {
      this.deps.sendKey(toBase64url(k.pub));
      this.deps.log('keys', 'Made a one-time key for this conversation and sent its public half.');
      return k;
    });
    return this.mine;
  }

  /** The peer's public key arrived (the first one counts; a second is ignored). */
  async onPeerKey(peerPub: Uint8Array<ArrayBuffer>): Promise<KeyOutcome | null> {
    if (this.keys || this.done) return null;
    const mine = await this.begin();
    try {
      this.keys = await deriveDirectKeys(mine, peerPub, this.deps.secret);
    } catch {
      this.done = true;
      return { ok: false, reason: INVALID_KEY_MESSAGE };
    }
    this.deps.log(
      'keys',
      this.deps.secret
        ? 'Made the conversation key from both public keys and the secret in your link.'
        : 'Made the conversation key from both public keys only: you met as strangers, so there is no link secret.',
    );
    void safetyNumber(mine.pub, peerPub).then((n) => this.deps.onSafetyNumber(n));
    this.deps.sendConfirm(toBase64url(await confirmTag(this.keys)));
    return this.check();
  }

  /** The peer's confirmation tag arrived. */
  onPeerConfirm(tag: Uint8Array<ArrayBuffer>): Promise<KeyOutcome | null> {
    this.peerTag ??= tag;
    return this.check();
  }

  private async check(): Promise<KeyOutcome | null> {
    const keys = this.keys;
    if (!keys || !this.peerTag || this.done) return null;
    this.done = true;
    if (!(await verifyConfirm(keys, this.peerTag))) {
      this.deps.log('confirm', 'Key check FAILED: the two devices hold different keys. Nothing was sent.', false);
      return { ok: false, reason: REFUSED_MESSAGE };
    }
    this.deps.log('confirm', 'Key check passed: both devices hold the same key, so nobody swapped the keys on the way.', true);
    if (!this.deps.secret) this.deps.log('warning', 'You met as strangers: the key check cannot detect someone in the middle here. Compare the safety number.');
    return { ok: true, keys, polite: await isPolite(keys.myPub, keys.peerPub) };
  }
}
