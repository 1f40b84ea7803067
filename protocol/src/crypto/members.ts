import { toBase64url } from './bytes.js';
import { parseEnvelope } from './envelope.js';
import { labelForKey, type KeyLabel } from './fingerprint.js';
import { importVerifyKey, signedRoomData, verifyBytes, type SignatureAlg } from './sign.js';

/** A verified sender: its relay member id and the key-derived handle and colour. */
export interface Signer extends KeyLabel {
  memberId: string;
}

export type VerifyResult =
  | { ok: true; signer: Signer; body: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'key-mismatch' };

interface Bound {
  alg: SignatureAlg;
  publicKey: string;
  key: CryptoKey;
  label: KeyLabel;
}

/** Member ids remembered per room; past this the oldest binding is forgotten (the relay mints ids per connection). */
const MAX_BOUND_MEMBERS = 1024;

/**
 * Binds each relay member id to the first public key that signed for it
 * (first key wins). A frame is accepted only if its signature verifies over
 * (room id, the member id the relay says sent it, body) with the key bound to
 * that member id. So: a different key under a bound member id is rejected
 * ("key-mismatch"); a valid signature by A replayed under member B's id fails
 * ("bad-signature", since A signed A's member id); and announcing A's public
 * key without A's private key cannot produce a verifying signature. Handles
 * derive from the key, so no member can show under another's handle.
 */
export class MemberDirectory {
  private readonly bound = new Map<string, Bound>();

  constructor(private readonly roomId: string) {}

  /** The label bound to a member id, if it has sent a verified frame. */
  labelOf(memberId: string): KeyLabel | undefined {
    return this.bound.get(memberId)?.label;
  }

  /** Binds our own key to our member id, so the relay cannot hand our id to someone else's frames. */
  async bindSelf(memberId: string, alg: SignatureAlg, publicKey: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.bound.has(memberId)) return;
    this.remember(memberId, { alg, publicKey: toBase64url(publicKey), key: await importVerifyKey(alg, publicKey), label: await labelForKey(publicKey) });
  }

  /** Verifies one decrypted envelope from `memberId`; binds the key on first verified sight. */
  async verify(memberId: string, plaintext: Uint8Array): Promise<VerifyResult> {
    const env = parseEnvelope(plaintext);
    if (!env) return { ok: false, reason: 'malformed' };
    const pk = toBase64url(env.publicKey);
    const known = this.bound.get(memberId);
    if (known && (known.publicKey !== pk || known.alg !== env.alg)) return { ok: false, reason: 'key-mismatch' };
    let key: CryptoKey;
    try {
      key = known?.key ?? (await importVerifyKey(env.alg, env.publicKey));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!(await verifyBytes(env.alg, key, env.signature, signedRoomData(this.roomId, memberId, env.body)))) {
      return { ok: false, reason: 'bad-signature' };
    }
    let entry = this.bound.get(memberId);
    if (!entry) {
      // Re-check after the awaits: another frame may have bound this id meanwhile.
      entry = { alg: env.alg, publicKey: pk, key, label: await labelForKey(env.publicKey) };
      const raced = this.bound.get(memberId);
      if (raced && raced.publicKey !== pk) return { ok: false, reason: 'key-mismatch' };
      if (!raced) this.remember(memberId, entry);
    }
    return { ok: true, signer: { memberId, ...entry.label }, body: env.body };
  }

  private remember(memberId: string, b: Bound): void {
    if (this.bound.size >= MAX_BOUND_MEMBERS) {
      const oldest = this.bound.keys().next().value;
      if (oldest !== undefined) this.bound.delete(oldest);
    }
    this.bound.set(memberId, b);
  }

  clear(): void {
    this.bound.clear();
  }
}
