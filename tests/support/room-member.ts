import { fromBase64url, toBase64url } from '../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../protocol/src/crypto/derive.js';
import { labelForKey, type KeyLabel } from '../../protocol/src/crypto/fingerprint.js';
import { publicRoomMeta } from '../../protocol/src/crypto/room-meta.js';
import { newMessageId, sealMessage, SendCounter, type OutgoingMessage } from '../../protocol/src/crypto/room-codec.js';
import { generateSigningIdentity, type SigningIdentity } from '../../protocol/src/crypto/sign.js';
import type { MessageMeta } from '../../protocol/src/content.js';
import type { MessageOrder } from '../../protocol/src/crypto/chunk.js';
import { createGhost, over, type TestGhost } from './ghost.js';
import { joinedSocket, type TestSocket } from './ws-client.js';
import { PROTOCOL_VERSION } from '../../protocol/src/version.js';

/**
 * A room member driven from Node, speaking the documented protocol with the
 * protocol's own sealing: the honest sender a tampering relay works on, or a
 * hostile member choosing its own counters, part headers, keys and rates.
 */
export class RoomMember {
  readonly counter = new SendCounter();
  private ref = 1;

  private constructor(
    readonly base: string,
    readonly secret: Uint8Array<ArrayBuffer>,
    readonly keys: RoomKeys,
    readonly ghost: TestGhost,
    readonly socket: TestSocket,
    public identity: SigningIdentity,
    public label: KeyLabel,
  ) {}

  /** The member id the relay gave this socket. */
  get member(): string {
    return this.socket.received.find((m) => m.type === 'joined')!.member;
  }

  /** `${origin}/r#secret` for the PWA to open (through a proxy, if `origin` is one). */
  link(origin: string): string {
    return `${origin}/r#${toBase64url(this.secret)}`;
  }

  /** Creates a room (as a fresh ghost) the way the PWA does, and joins it. */
  static async create(base: string, opts: { backlog?: number; public?: string } = {}): Promise<RoomMember> {
    const ghost = await createGhost(over(base));
    const secret = newRoomSecret();
    const keys = await deriveRoomKeys(secret);
    const body = {
      roomId: keys.roomId,
      accessKeyHash: keys.accessKeyHash,
      ...(opts.backlog ? { backlog: opts.backlog } : {}),
      ...(opts.public ? { public: true, meta: publicRoomMeta(secret, opts.public) } : {}),
    };
    const res = await fetch(`${base}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: ghost.auth }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`create room: ${res.status} ${await res.text()}`);
    return RoomMember.open(base, secret, keys, ghost);
  }

  /** Joins an existing room from its secret, as a fresh ghost (its own proof of work). */
  static async join(base: string, secret: Uint8Array<ArrayBuffer> | string, identity?: SigningIdentity): Promise<RoomMember> {
    const s = typeof secret === 'string' ? fromBase64url(secret) : new Uint8Array(secret);
    return RoomMember.open(base, s, await deriveRoomKeys(s), await createGhost(over(base)), identity);
  }

  private static async open(base: string, secret: Uint8Array<ArrayBuffer>, keys: RoomKeys, ghost: TestGhost, identity?: SigningIdentity): Promise<RoomMember> {
    const socket = await joinedSocket(base, { ...keys, ghost });
    const id = identity ?? (await generateSigningIdentity());
    return new RoomMember(base, secret, keys, ghost, socket, id, await labelForKey(id.publicKey));
  }

  /** Seals one message for this member id; the frames (base64url) in order. */
  async seal(meta: MessageMeta, opts: { attachment?: Uint8Array; order?: MessageOrder; messageId?: string } = {}): Promise<string[]> {
    const out: OutgoingMessage = {
      messageId: opts.messageId ?? newMessageId(),
      meta,
      bucket: opts.attachment ? 'media' : 'chat',
      order: opts.order ?? this.counter.next(),
      ...(opts.attachment ? { attachment: opts.attachment } : {}),
    };
    return (await sealMessage(this.keys.contentKey, this.keys.roomId, this.member, this.identity, out)).map((f) => toBase64url(f));
  }

  /** Hands sealed frames (base64url) to the relay. */
  sendFrames(frames: string[]): void {
    for (const data of frames) this.socket.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref: this.ref++, data });
  }

  /** Seals and sends a text message; returns its frames. */
  async say(body: string, extra: Partial<Pick<MessageMeta, 'once' | 'releaseAt'>> = {}): Promise<string[]> {
    const frames = await this.seal({ k: 'text', body, at: Date.now(), ...extra });
    this.sendFrames(frames);
    return frames;
  }

  close(): void {
    this.socket.close();
  }
}
