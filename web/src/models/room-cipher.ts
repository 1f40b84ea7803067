import type { RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { labelForKey, type KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import { RoomInbox, sealMessage, type InboxResult, type OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import { roomSafetyCode } from '../../../protocol/src/crypto/safety-code.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import type { Ranges } from '../../../protocol/src/crypto/streams.js';
import { generateSigningIdentity, type SigningIdentity } from '../../../protocol/src/crypto/sign.js';

/**
 * How a room's messages are sealed and opened, apart from everything else
 * the room model does (connection, display, read-once, gaps), so the way
 * content keys are made can change without touching the rest.
 */
export interface RoomCipher {
  /** Our own handle and colour, once the signing key exists. */
  readonly self: Promise<KeyLabel>;
  /** The code members compare to see they are in the same room. */
  readonly safetyCode: Promise<string>;
  /** Signs and seals one message's frames as member `member`. */
  seal(member: string, out: OutgoingMessage): Promise<Uint8Array<ArrayBuffer>[]>;
  /** Opens one sealed frame the relay says came from member `from`. */
  receive(from: string, frame: Uint8Array<ArrayBuffer>): Promise<InboxResult>;
  /** The relay gave us member id `member` on this connection. */
  joined(member: string): Promise<void>;
  /** Per sender stream (or for one): counters not seen and not arriving now. */
  missing(only?: string): Map<string, Ranges>;
  /** The handle a member id signs with, once seen. */
  handleOf(member: string): string | undefined;
  /** Drops unfinished incoming messages past their timeout (call from a timer). */
  sweep(): void;
  /** Forgets every key and unfinished message. */
  clear(): void;
  /** Handshake and membership messages from the relay (an MLS room's commits, joins and leaves), in the relay's order. */
  onServer?(msg: ServerMessage): Promise<void>;
}

/**
 * The room key derived from the room secret (crypto/derive.ts) seals every
 * frame; each part inside is signed by the ghost's per-room identity and
 * bound to its member id (crypto/room-codec.ts).
 */
export class SecretKeyCipher implements RoomCipher {
  readonly self: Promise<KeyLabel>;
  readonly safetyCode: Promise<string>;
  private readonly inbox: RoomInbox;
  private readonly identity: Promise<SigningIdentity>;

  constructor(
    private readonly keys: RoomKeys,
    secret: Uint8Array<ArrayBuffer>,
    identity?: SigningIdentity,
  ) {
    this.inbox = new RoomInbox(keys.contentKey, keys.roomId);
    this.identity = identity ? Promise.resolve(identity) : generateSigningIdentity();
    this.self = this.identity.then((id) => labelForKey(id.publicKey));
    // Read now: the room wipes its copy of the secret when it closes.
    this.safetyCode = roomSafetyCode(secret);
  }

  async seal(member: string, out: OutgoingMessage): Promise<Uint8Array<ArrayBuffer>[]> {
    return sealMessage(this.keys.contentKey, this.keys.roomId, member, await this.identity, out);
  }

  receive(from: string, frame: Uint8Array<ArrayBuffer>): Promise<InboxResult> {
    return this.inbox.receive(from, frame);
  }

  async joined(member: string): Promise<void> {
    const id = await this.identity;
    await this.inbox.members.bindSelf(member, id.alg, id.publicKey);
  }

  missing(only?: string): Map<string, Ranges> {
    return this.inbox.missing(only);
  }

  handleOf(member: string): string | undefined {
    return this.inbox.members.labelOf(member)?.handle;
  }

  sweep(): void {
    this.inbox.sweep();
  }

  clear(): void {
    this.inbox.clear();
  }
}
