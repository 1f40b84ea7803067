import { signal } from '@preact/signals';
import { isReleaseAtSane, type MessageMeta } from '../../../protocol/src/content.js';
import { fromBase64url, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { roomSafetyCode } from '../../../protocol/src/crypto/safety-code.js';
import { labelForKey, type KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import { newMessageId, RoomInbox, sealMessage, type InboxResult, type OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import { generateSigningIdentity, type SigningIdentity } from '../../../protocol/src/crypto/sign.js';
import { MAX_TEXT_CHARS, ROOM_MAX_BACKLOG, ROOM_SECRET_BYTES } from '../../../protocol/src/limits.js';
import { createRoomResponseSchema, joinTokenResponseSchema } from '../../../protocol/src/messages/rooms-api.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { createBlobUrl, revokeBlobUrl } from '../media/blob-urls.js';
import { MediaError, stripImage } from '../media/strip.js';
import { ApiError, postJson } from '../net/api.js';
import { RelayClient, type ConnectionState, type WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { HeldMessages } from './held.js';
import { SeqWatermark } from './seq-watermark.js';
import { isPublicRoomMeta, openRoomName, publicRoomMeta, sealRoomName } from '../../../protocol/src/crypto/room-meta.js';
import { noteGhostActivity } from '../ghost-view.js';
import { GHOST_IDLE_MS, solveRelayPow, type GhostSession } from './ghost.js';

export interface ChatMessage {
  id: string;
  mine: boolean;
  /** Relay member id of the sender (pseudonymous, per connection). */
  from: string;
  /** `Ghost#XXXX` and colour from the sender's verified signing key. */
  handle: string;
  colour: string;
  kind: 'text' | 'image';
  /** Empty while time-locked or not yet viewed (read-once). */
  body: string;
  imageUrl?: string;
  at: number;
  status: 'sending' | 'sent' | 'failed' | 'received';
  delivered?: number;
  /** Time-locked until this epoch ms (enforced by this app only). */
  releaseAt?: number;
  /** True while the content is held back (time-lock not yet passed, or read-once not yet viewed). */
  held?: boolean;
  /** Read-once: removed from memory and screen after viewing (enforced by this app only). */
  once?: boolean;
  /** Sending progress of a multi-frame message, 0–1. */
  progress?: number;
}

export interface SendOptions {
  releaseAt?: number;
  once?: boolean;
}

/** What the creator chooses; the relay enforces capacity and lifetime. */
export interface RoomSettings {
  capacity?: number;
  ttlSeconds?: number;
  /** Shown to members; sealed under the content key unless the room is public. */
  name?: string;
  /** Keep the last ROOM_MAX_BACKLOG sealed frames for late joiners and reconnects. */
  backlog?: boolean;
  /** Listed in the lobby with its secret: not private. */
  public?: boolean;
}

export interface RoomEnv {
  origin: string;
  WebSocket: WebSocketCtor;
  fetch?: typeof fetch;
  /** The ghost's signing identity (issue 3); a fresh in-memory one is made when absent. */
  identity?: SigningIdentity;
  /** This tab's ghost (created on first call, and anew after it was wiped or expired). */
  ghost: () => Promise<GhostSession>;
}

/** Runs an API call as the tab's ghost; if the relay no longer knows it (401), starts a new ghost once and retries. */
async function asGhost<T>(env: RoomEnv, call: (bearer: string) => Promise<T>): Promise<T> {
  const ghost = await env.ghost();
  try {
    return await call(ghost.bearer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    ghost.wipe();
    return call((await env.ghost()).bearer);
  }
}

/** How long to wait for the relay to acknowledge one media frame before calling the send failed. */
const ACK_TIMEOUT_MS = 30_000;
/** How often unfinished incoming messages are checked against REASSEMBLY_TIMEOUT_MS. */
const SWEEP_INTERVAL_MS = 10_000;

/**
 * One room as the page holds it: keys and a signing identity in memory only,
 * decrypted and verified messages in signals, and a relay connection.
 * Everything it holds is forgotten by wipe().
 */
export class RoomSession {
  readonly messages = signal<ChatMessage[]>([]);
  readonly members = signal<string[]>([]);
  readonly me = signal<string | null>(null);
  /** Our own handle and colour. */
  readonly self = signal<KeyLabel | null>(null);
  readonly connection = signal<ConnectionState>({ phase: 'idle' });
  readonly expiresAt = signal<number | null>(null);
  readonly notice = signal<string | null>(null);
  /** Frames sealed with the room key whose signature or key binding failed (someone in the room misbehaves). */
  readonly forgeries = signal(0);
  /** Short code derived from the room secret; members compare it to detect a tampered link. */
  readonly safetyCode = signal<string>('');
  /** The room's name, when its creator gave one (read from the room's meta). */
  readonly name = signal<string | null>(null);
  /** A public room: listed in the lobby with its secret, so anyone can read it. */
  readonly isPublic = signal(false);

  private readonly client: RelayClient;
  private readonly inbox: RoomInbox;
  private readonly identity: Promise<SigningIdentity>;
  private readonly held: HeldMessages;
  private readonly seen = new Set<string>();
  /** ref → message id, and how many frames of each message are still unacknowledged. */
  private readonly pending = new Map<number, string>();
  private readonly unacked = new Map<string, number>();
  /**
   * Text messages not yet acknowledged in full. After a reconnect they are
   * sealed again for the new member id and resent; receivers drop a second
   * copy (same signer, same message id), so nothing is lost or doubled.
   */
  private readonly outbox = new Map<string, OutgoingMessage>();
  private readonly ackWaiters = new Map<number, (delivered: number | null) => void>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private nextRef = 1;
  /** Room seqs seen (frames and our own acks): a reconnect asks the backlog for what came after the watermark. */
  private readonly seqs = new SeqWatermark();
  private unregister: () => void;

  private constructor(
    private secret: Uint8Array<ArrayBuffer>,
    private keys: RoomKeys,
    private readonly env: RoomEnv,
  ) {
    const ws = env.origin.replace(/^http/, 'ws') + '/ws';
    this.inbox = new RoomInbox(keys.contentKey, keys.roomId);
    this.identity = env.identity ? Promise.resolve(env.identity) : generateSigningIdentity();
    void this.identity.then(async (id) => (this.self.value = await labelForKey(id.publicKey)));
    this.held = new HeldMessages({
      show: (id, body, imageUrl) => this.update(id, { body, ...(imageUrl ? { imageUrl } : {}), held: body === '' && !imageUrl }),
      remove: (id) => (this.messages.value = this.messages.value.filter((m) => m.id !== id)),
    });
    this.sweeper = setInterval(() => this.inbox.sweep(), SWEEP_INTERVAL_MS);
    this.client = new RelayClient({
      url: ws,
      WebSocket: env.WebSocket,
      joinToken: async () =>
        asGhost(env, async (bearer) => {
          const res = await postJson(`${env.origin}/api/rooms/${keys.roomId}/join-tokens`, { accessKey: toBase64url(keys.accessKey) }, joinTokenResponseSchema, env.fetch, bearer);
          if (res.meta && this.name.value === null) void this.readMeta(res.meta);
          return res.token;
        }),
      lastSeq: () => this.seqs.value,
      onMessage: (m) => void this.onMessage(m),
      onState: (s) => {
        this.connection.value = s;
        // Joining slides the relay's idle timer for the ghost (and so does sending, below).
        if (s.phase === 'open') noteGhostActivity(GHOST_IDLE_MS);
      },
    });
    this.unregister = registerWipe(() => this.wipe());
    void roomSafetyCode(secret).then((c) => (this.safetyCode.value = c));
  }

  private async readMeta(meta: string): Promise<void> {
    this.isPublic.value = isPublicRoomMeta(meta);
    this.name.value = await openRoomName(this.keys, meta);
  }

  /** The invite link: the secret travels only in the fragment, which browsers never send. */
  get link(): string {
    return `${this.env.origin}/r#${toBase64url(this.secret)}`;
  }

  get roomId(): string {
    return this.keys.roomId;
  }

  /** Creates a room on the relay from a fresh secret and joins it. */
  static async create(env: RoomEnv, settings: RoomSettings = {}): Promise<RoomSession> {
    const secret = newRoomSecret();
    const keys = await deriveRoomKeys(secret);
    const { name: given, backlog, public: isPublic, ...limits } = settings;
    const name = given?.trim() || (isPublic ? 'Unnamed public room' : '');
    // A public room's meta carries its secret, or nobody could join it from the lobby.
    const meta = isPublic ? publicRoomMeta(secret, name) : name ? await sealRoomName(keys, name) : undefined;
    const body = {
      roomId: keys.roomId,
      accessKeyHash: keys.accessKeyHash,
      ...limits,
      ...(backlog ? { backlog: ROOM_MAX_BACKLOG } : {}),
      ...(isPublic ? { public: true } : {}),
      ...(meta ? { meta } : {}),
    };
    const created = await asGhost(env, async (bearer) => {
      const post = (extra = {}) => postJson(`${env.origin}/api/rooms`, { ...body, ...extra }, createRoomResponseSchema, env.fetch, bearer);
      try {
        return await post();
      } catch (err) {
        // Under load the relay asks for a proof of work before it registers a room.
        if (!(err instanceof ApiError) || err.code !== 'pow_required') throw err;
        return post({ pow: await solveRelayPow(env.origin, env.fetch) });
      }
    });
    const s = new RoomSession(secret, keys, env);
    s.expiresAt.value = created.expiresAt;
    s.name.value = name || null;
    s.isPublic.value = !!isPublic;
    s.client.connect();
    return s;
  }

  /** Joins the room whose secret came from an invite link's fragment. */
  static async join(secretText: string, env: RoomEnv): Promise<RoomSession> {
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = fromBase64url(secretText);
    } catch {
      throw new Error('This invite link is damaged. Ask for the link again.');
    }
    if (secret.length !== ROOM_SECRET_BYTES) throw new Error('This invite link is damaged. Ask for the link again.');
    const s = new RoomSession(secret, await deriveRoomKeys(secret), env);
    s.client.connect();
    return s;
  }

  /** Signs, encrypts and sends a text message (split across frames if long); it shows at once as "sending". */
  async send(body: string, opts: SendOptions = {}): Promise<void> {
    const text = body.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_CHARS) {
      this.notice.value = `Messages can be at most ${MAX_TEXT_CHARS} characters. Split it into several messages.`;
      return;
    }
    const meta: MessageMeta = { k: 'text', body: text, at: Date.now(), ...displayRules(opts) };
    const id = newMessageId();
    this.addOwn(id, meta, opts.once ? '' : text);
    const out: OutgoingMessage = { messageId: id, meta, bucket: 'chat' };
    this.outbox.set(id, out);
    await this.sendFrames(id, out, false);
  }

  /**
   * Strips an image's metadata by re-encoding it, then signs, encrypts and
   * sends it as media frames one at a time (each waits for the relay's ack),
   * reporting progress 0–1. Throws a MediaError with a sentence to show.
   */
  async sendImage(file: Blob, onProgress?: (fraction: number) => void, opts: SendOptions = {}): Promise<void> {
    const img = await stripImage(file);
    const bytes = new Uint8Array(await img.blob.arrayBuffer());
    const meta: MessageMeta = { k: 'image', mime: img.mime, bytes: bytes.length, w: img.width, h: img.height, at: Date.now(), ...displayRules(opts) };
    const id = newMessageId();
    this.addOwn(id, meta, '', opts.once ? undefined : createBlobUrl(img.blob));
    const ok = await this.sendFrames(id, { messageId: id, meta, attachment: bytes, bucket: 'media' }, true, onProgress);
    bytes.fill(0);
    if (!ok) throw new MediaError('The image could not be sent. Check your connection and try again.');
  }

  /** Shows a read-once message; it is removed from memory and screen READ_ONCE_VIEW_MS later, or at close(). */
  reveal(id: string): void {
    this.held.reveal(id);
  }

  /** Removes a viewed read-once message now. */
  burn(id: string): void {
    this.held.burn(id);
  }

  private addOwn(id: string, meta: MessageMeta, body: string, imageUrl?: string): void {
    this.seen.add(id);
    const self = this.self.value;
    const msg: ChatMessage = {
      id,
      mine: true,
      from: this.me.value ?? '',
      handle: self?.handle ?? 'You',
      colour: self?.colour ?? 'inherit',
      kind: meta.k,
      body,
      ...(imageUrl ? { imageUrl } : {}),
      at: meta.at,
      status: 'sending',
      ...(meta.releaseAt !== undefined ? { releaseAt: meta.releaseAt } : {}),
      ...(meta.once ? { once: true } : {}),
    };
    this.messages.value = [...this.messages.value, msg];
  }

  /** Seals one message for our current member id and hands its frames to the relay. */
  private async sendFrames(id: string, out: OutgoingMessage, paced: boolean, onProgress?: (f: number) => void): Promise<boolean> {
    const member = this.me.value;
    if (!member || this.connection.value.phase !== 'open') {
      this.update(id, { status: 'failed' });
      return false;
    }
    const frames = await sealMessage(this.keys.contentKey, this.keys.roomId, member, await this.identity, out);
    this.unacked.set(id, frames.length);
    let delivered = 0;
    for (const [i, frame] of frames.entries()) {
      // A reconnect gives us a new member id; frames signed for the old one would be rejected as forged.
      if (this.me.value !== member) return this.fail(id);
      const ref = this.nextRef++;
      this.pending.set(ref, id);
      const acked = paced ? this.waitAck(ref) : null;
      if (!this.client.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref, data: toBase64url(frame) })) return this.fail(id);
      noteGhostActivity(GHOST_IDLE_MS);
      if (acked) {
        const d = await acked;
        if (d === null) return this.fail(id);
        delivered = d;
        const progress = (i + 1) / frames.length;
        this.update(id, { progress });
        onProgress?.(progress);
      }
    }
    if (paced) this.update(id, { status: 'sent', delivered });
    return true;
  }

  /** After a (re)join: everything the relay never acknowledged goes out again under the new member id. */
  private resendOutbox(): void {
    if (this.outbox.size === 0) return;
    // Refs of the old connection will never be acknowledged.
    for (const [ref, id] of this.pending) if (this.outbox.has(id)) this.pending.delete(ref);
    for (const [id, out] of this.outbox) {
      this.update(id, { status: 'sending' });
      void this.sendFrames(id, out, false);
    }
  }

  private fail(id: string): false {
    this.unacked.delete(id);
    this.update(id, { status: 'failed' });
    return false;
  }

  private waitAck(ref: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ackWaiters.delete(ref);
        resolve(null);
      }, ACK_TIMEOUT_MS);
      this.ackWaiters.set(ref, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });
  }

  private update(id: string, patch: Partial<ChatMessage>): void {
    this.messages.value = this.messages.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
  }

  private onAck(ref: number, delivered: number): void {
    const id = this.pending.get(ref);
    this.pending.delete(ref);
    const waiter = this.ackWaiters.get(ref);
    this.ackWaiters.delete(ref);
    waiter?.(delivered);
    if (!id || waiter) return;
    const left = (this.unacked.get(id) ?? 1) - 1;
    if (left > 0) return void this.unacked.set(id, left);
    this.unacked.delete(id);
    this.outbox.delete(id);
    this.update(id, { status: 'sent', delivered });
  }

  private async onMessage(msg: ServerMessage): Promise<void> {
    switch (msg.type) {
      case 'joined': {
        this.me.value = msg.member;
        this.seqs.joined(msg.seq);
        this.members.value = msg.members;
        this.expiresAt.value = msg.expiresAt;
        this.notice.value = null;
        const id = await this.identity;
        await this.inbox.members.bindSelf(msg.member, id.alg, id.publicKey);
        this.resendOutbox();
        return;
      }
      case 'presence':
        this.members.value =
          msg.event === 'join' ? [...this.members.value.filter((m) => m !== msg.member), msg.member] : this.members.value.filter((m) => m !== msg.member);
        return;
      case 'sent':
        this.seqs.saw(msg.seq);
        { this.onAck(msg.ref, msg.delivered); return; }
      case 'frame': {
        this.seqs.saw(msg.seq);
        let frame: Uint8Array;
        try {
          frame = fromBase64url(msg.data);
        } catch {
          return;
        }
        this.onInbox(await this.inbox.receive(msg.from, frame)); return;
      }
      case 'error':
        this.notice.value = msg.message;
        if (msg.ref !== undefined) this.ackWaiters.get(msg.ref)?.(null);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private onInbox(r: InboxResult): void {
    switch (r.status) {
      case 'pending':
      case 'dropped':
        return;
      case 'forged':
        this.forgeries.value++;
        this.notice.value = 'A message failed its signature check and was hidden: someone in this room may be trying to impersonate another member.';
        return;
      case 'refused':
        this.notice.value = 'A member sent more than this app will hold at once; part of a message was dropped.';
        return;
      case 'message':
        return this.showReceived(r);
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  private showReceived(r: Extract<InboxResult, { status: 'message' }>): void {
    const key = `${r.signer.fingerprint}:${r.messageId}`;
    const { meta } = r;
    const now = Date.now();
    if (this.seen.has(key) || (meta.releaseAt !== undefined && !isReleaseAtSane(meta.releaseAt, now))) return;
    this.seen.add(key);
    const id = key;
    const image = meta.k === 'image' ? new Blob([r.attachment], { type: meta.mime }) : undefined;
    const body = meta.k === 'text' ? meta.body : '';
    const locked = (meta.releaseAt ?? 0) > now;
    const hold = locked || meta.once === true;
    this.messages.value = [
      ...this.messages.value,
      {
        id,
        mine: false,
        from: r.signer.memberId,
        handle: r.signer.handle,
        colour: r.signer.colour,
        kind: meta.k,
        body: hold ? '' : body,
        ...(image && !hold ? { imageUrl: createBlobUrl(image) } : {}),
        at: meta.at,
        status: 'received',
        ...(meta.releaseAt !== undefined ? { releaseAt: meta.releaseAt } : {}),
        ...(meta.once ? { once: true } : {}),
        ...(hold ? { held: true } : {}),
      },
    ];
    if (hold) this.held.hold(id, { body, ...(image ? { image } : {}) }, meta.releaseAt, meta.once === true, now);
  }

  /** Reconnects at once if waiting (the browser came back online). */
  nudge(): void {
    this.client.nudge();
  }

  leave(): void {
    this.wipe();
  }

  /** Closes the connection and forgets the secret, keys, messages, held content and blob URLs. */
  wipe(): void {
    this.client.close();
    clearInterval(this.sweeper);
    this.secret.fill(0);
    this.keys.accessKey.fill(0);
    for (const m of this.messages.value) revokeBlobUrl(m.imageUrl);
    this.held.clear();
    this.inbox.clear();
    for (const w of this.ackWaiters.values()) w(null);
    this.messages.value = [];
    this.members.value = [];
    this.safetyCode.value = '';
    this.seen.clear();
    this.pending.clear();
    this.unacked.clear();
    this.outbox.clear();
    this.ackWaiters.clear();
    this.unregister();
  }
}

function displayRules(opts: SendOptions): Pick<MessageMeta, 'releaseAt' | 'once'> {
  return { ...(opts.releaseAt !== undefined ? { releaseAt: Math.round(opts.releaseAt) } : {}), ...(opts.once ? { once: true } : {}) };
}
