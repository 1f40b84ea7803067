import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { isReleaseAtSane, type MessageMeta } from '../../../protocol/src/content.js';
import { fromBase64url, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../../protocol/src/crypto/derive.js';
import type { KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import { newMessageId, SendCounter, type InboxResult, type OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import { isPublicRoomMeta, openRoomName } from '../../../protocol/src/crypto/room-meta.js';
import type { SigningIdentity } from '../../../protocol/src/crypto/sign.js';
import { MAX_TEXT_CHARS, ROOM_SECRET_BYTES } from '../../../protocol/src/limits.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { noteGhostActivity } from '../ghost-view.js';
import { createBlobUrl } from '../media/blob-urls.js';
import { MediaError, stripImage } from '../media/strip.js';
import type { WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { GHOST_IDLE_MS } from './ghost.js';
import { burntIn } from './burnt.js';
import { GapWatch } from './gap-watch.js';
import { HeldMessages } from './held.js';
import { LookalikeWatch } from './lookalike-watch.js';
import { presenceNotice } from './presence-notice.js';
import { MessageView, ownMessage, receivedMessage, type ChatMessage } from './message-view.js';
import { Outbox } from './outbox.js';
import { roomFragment } from '../fragment.js';
import { MlsCipher } from './mls-cipher.js';
import { requireMls } from './mls-support.js';
import { SecretKeyCipher, type RoomCipher } from './room-cipher.js';
import { createRoom, fetchJoinToken, mintInviteTicket, type RoomApiEnv, type RoomSettings } from './room-api.js';
import { initialState, type RoomState } from './room-state.js';
import { relayTransport, type RoomTransport, type RoomTransportFactory } from './room-transport.js';
import { SeqWatermark } from './seq-watermark.js';

export type { ChatMessage } from './message-view.js';
export type { RoomSettings } from './room-api.js';

export interface SendOptions {
  releaseAt?: number;
  once?: boolean;
}

export interface RoomEnv extends RoomApiEnv {
  /** The WebSocket constructor for the default transport (the browser's, or `ws` in Node tests). */
  WebSocket?: WebSocketCtor;
  /** Builds the room's relay connection; a RelayClient on `origin`'s /ws by default. */
  transport?: RoomTransportFactory;
  /** The ghost's signing identity (issue 3); a fresh in-memory one is made when absent. */
  identity?: SigningIdentity;
  /** Content keys from an MLS group (issue 19, mls-cipher.ts) instead of the room key: what the create form makes for a private room unless turned off, and what a `~m` link joins. */
  mls?: boolean;
}

/** How often unfinished incoming messages are checked against REASSEMBLY_TIMEOUT_MS. */
const SWEEP_INTERVAL_MS = 10_000;
/** How often missing messages are looked for (gap-watch.ts: shown once missing at two checks in a row). */
const GAP_CHECK_MS = 1_500;

/**
 * One room as the page holds it: keys and a signing identity in memory only,
 * decrypted and verified messages in signals, and a relay connection.
 * Everything it holds is forgotten by wipe().
 */
export class RoomSession {
  private readonly store = signal<RoomState>(initialState);
  private readonly view = new MessageView();

  readonly state: ReadonlySignal<RoomState> = this.store;
  readonly messages: ReadonlySignal<ChatMessage[]> = this.view.messages;
  readonly members = computed(() => this.store.value.members);
  readonly me = computed(() => this.store.value.me);
  readonly self = computed(() => this.store.value.self);
  readonly connection = computed(() => this.store.value.connection);
  readonly expiresAt = computed(() => this.store.value.expiresAt);
  readonly notice = computed(() => this.store.value.notice);
  readonly forgeries = computed(() => this.store.value.forgeries);
  readonly safetyCode = computed(() => this.store.value.safetyCode);
  readonly name = computed(() => this.store.value.name);
  readonly isPublic = computed(() => this.store.value.isPublic);
  readonly invites = computed(() => this.store.value.invites);
  readonly replays = computed(() => this.store.value.replays);
  readonly lookalikes = computed(() => this.store.value.lookalikes);

  private readonly client: RoomTransport;
  private readonly cipher: RoomCipher;
  private readonly held: HeldMessages;
  private readonly outbox: Outbox;
  private readonly seen = new Set<string>();
  /** Viewed read-once messages of this room: they stay burnt across rejoins for the page's life. */
  private readonly burnt: Set<string>;
  private readonly counter = new SendCounter();
  private readonly lookalikeWatch = new LookalikeWatch();
  private readonly gaps: GapWatch;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly gapTimer: ReturnType<typeof setInterval>;
  /** Room seqs seen (frames and our own acks): a reconnect asks the backlog for what came after the watermark. */
  private readonly seqs = new SeqWatermark();
  private unregister: () => void;
  /** The invite ticket for the first join token (a rotating invite's); later rejoins need none within the relay's grace. */
  private ticket: string | undefined;

  private constructor(
    private secret: Uint8Array<ArrayBuffer>,
    private keys: RoomKeys,
    private readonly env: RoomEnv,
  ) {
    this.cipher = env.mls
      ? new MlsCipher(keys, secret, { send: (m) => this.client.send(m), update: (patch) => this.setState(patch) })
      : new SecretKeyCipher(keys, secret, env.identity);
    this.gaps = new GapWatch(this.view, (only) => this.cipher.missing(only));
    this.burnt = burntIn(keys.roomId);
    void this.cipher.self.then((self) => {
      this.setState({ self });
      this.noteKey(self);
    });
    this.held = new HeldMessages({
      show: (id, body, imageUrl) => this.view.update(id, { body, ...(imageUrl ? { imageUrl } : {}), held: body === '' && !imageUrl }),
      remove: (id) => {
        this.burnt.add(id);
        this.view.burnt(id);
      },
    });
    this.outbox = new Outbox({
      member: () => this.store.value.me,
      isOpen: () => this.store.value.connection.phase === 'open',
      seal: (member, out) => this.cipher.seal(member, out),
      sendFrame: (ref, frame) => {
        if (!this.client.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref, data: toBase64url(frame) })) return false;
        noteGhostActivity(GHOST_IDLE_MS);
        return true;
      },
      update: (id, patch) => this.view.update(id, patch),
    });
    this.sweeper = setInterval(() => this.cipher.sweep(), SWEEP_INTERVAL_MS);
    this.gapTimer = setInterval(() => this.gaps.check(), GAP_CHECK_MS);
    const transport = env.transport ?? relayTransport(env.origin, env.WebSocket ?? WebSocket);
    this.client = transport({
      joinToken: async () => {
        const res = await fetchJoinToken(env, keys, this.ticket);
        // Spent: the relay takes a ticket once, and lets a member that dropped back in without one.
        this.ticket = undefined;
        if (res.meta && this.store.value.name === null) void this.readMeta(res.meta);
        return res.token;
      },
      lastSeq: () => this.seqs.value,
      onMessage: (m) => void this.onMessage(m),
      onState: (connection) => {
        this.setState({ connection });
        // Joining slides the relay's idle timer for the ghost (and so does sending).
        if (connection.phase === 'open') noteGhostActivity(GHOST_IDLE_MS);
      },
    });
    this.unregister = registerWipe(() => this.wipe());
    void this.cipher.safetyCode.then((safetyCode) => this.setState({ safetyCode }));
  }

  private setState(patch: Partial<RoomState>): void {
    this.store.value = { ...this.store.value, ...patch };
  }

  private async readMeta(meta: string): Promise<void> {
    const isPublic = isPublicRoomMeta(meta);
    this.setState({ isPublic, name: await openRoomName(this.keys, meta) });
  }

  /** The invite link: the secret (and a rotating invite's ticket) travel only in the fragment, which browsers never send. */
  get link(): string {
    return this.linkWith();
  }

  /** The invite link carrying `ticket` (fragment.ts: `#<S>.<ticket>`). */
  linkWith(ticket?: string): string {
    return `${this.env.origin}/r#${roomFragment({ secret: toBase64url(this.secret), ...(ticket ? { ticket } : {}), ...(this.env.mls ? { mls: true } : {}) })}`;
  }

  /** Mints a fresh invite ticket through the relay (members of a room with rotating invites only). */
  mintTicket(): Promise<{ ticket: string; expiresAt: number }> {
    return mintInviteTicket(this.env, this.keys);
  }

  /** An MLS room (forward secrecy): its safety code changes with every change of members or keys. */
  get mls(): boolean {
    return this.env.mls === true;
  }

  get roomId(): string {
    return this.keys.roomId;
  }

  /** Creates a room on the relay from a fresh secret and joins it. */
  static async create(env: RoomEnv, settings: RoomSettings = {}): Promise<RoomSession> {
    if (env.mls) await requireMls(true);
    const secret = newRoomSecret();
    const keys = await deriveRoomKeys(secret);
    const { ticket, ...created } = await createRoom(env, secret, keys, settings);
    const s = new RoomSession(secret, keys, env);
    s.ticket = ticket;
    s.setState(created);
    s.client.connect();
    return s;
  }

  /** Joins the room whose secret came from an invite link's fragment (with its ticket, for a rotating invite). */
  static async join(secretText: string, env: RoomEnv, ticket?: string): Promise<RoomSession> {
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = fromBase64url(secretText);
    } catch {
      throw new Error('This invite link is damaged. Ask for the link again.');
    }
    if (secret.length !== ROOM_SECRET_BYTES) throw new Error('This invite link is damaged. Ask for the link again.');
    if (env.mls) await requireMls(false);
    const s = new RoomSession(secret, await deriveRoomKeys(secret), env);
    s.ticket = ticket;
    // A ticket means the room asks for one: as a member, this tab mints them for its own invites.
    s.setState({ invites: ticket !== undefined });
    s.client.connect();
    return s;
  }

  /** Signs, encrypts and sends a text message (split across frames if long); it shows at once as "sending". */
  async send(body: string, opts: SendOptions = {}): Promise<void> {
    const text = body.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_CHARS) {
      this.setState({ notice: `Messages can be at most ${MAX_TEXT_CHARS} characters. Split it into several messages.` });
      return;
    }
    const meta: MessageMeta = { k: 'text', body: text, at: Date.now(), ...displayRules(opts) };
    const id = newMessageId();
    this.addOwn(id, meta, opts.once ? '' : text);
    const out: OutgoingMessage = { messageId: id, meta, bucket: 'chat', order: this.counter.next() };
    await this.outbox.send(id, out);
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
    const ok = await this.outbox.sendPaced(id, { messageId: id, meta, attachment: bytes, bucket: 'media', order: this.counter.next() }, onProgress);
    bytes.fill(0);
    if (!ok) throw new MediaError('The image could not be sent. Check your connection and try again.');
  }

  /** Shows a read-once message; it is removed from memory and screen READ_ONCE_VIEW_MS later, or at close(). */
  reveal(id: string): void {
    // Burnt from the moment it shows: a rejoin or a replay while it is on screen must not bring it back.
    this.burnt.add(id);
    this.held.reveal(id);
  }

  /** Removes a viewed read-once message now. */
  burn(id: string): void {
    this.held.burn(id);
  }

  private addOwn(id: string, meta: MessageMeta, body: string, imageUrl?: string): void {
    this.seen.add(id);
    this.view.add(ownMessage(id, meta, this.store.value.me ?? '', this.store.value.self, body, imageUrl));
  }

  private async onMessage(msg: ServerMessage): Promise<void> {
    switch (msg.type) {
      case 'joined': {
        this.seqs.joined(msg.seq);
        this.setState({ me: msg.member, members: msg.members, expiresAt: msg.expiresAt, notice: null });
        const handshake = this.cipher.onServer?.(msg);
        await this.cipher.joined(msg.member);
        await handshake;
        this.outbox.resend();
        return;
      }
      case 'presence': {
        void this.cipher.onServer?.(msg);
        const others = this.store.value.members.filter((m) => m !== msg.member);
        this.setState({ members: msg.event === 'join' ? [...others, msg.member] : others });
        this.view.add(presenceNotice(msg.event, msg.member, this.view.messages.value));
        return;
      }
      case 'sent':
        this.seqs.saw(msg.seq);
        this.outbox.onAck(msg.ref, msg.delivered);
        return;
      case 'frame': {
        this.seqs.saw(msg.seq);
        let frame: Uint8Array<ArrayBuffer>;
        try {
          frame = fromBase64url(msg.data);
        } catch {
          return;
        }
        this.onInbox(await this.cipher.receive(msg.from, frame));
        return;
      }
      case 'error':
        // A commit that lost its epoch is retried by the cipher: nothing for the person to do.
        if (msg.code === ErrorCode.StaleEpoch) return void this.cipher.onServer?.(msg);
        this.setState({ notice: msg.message });
        if (msg.ref !== undefined) this.outbox.onError(msg.ref);
        return;
      // MLS handshakes take seqs of the room's one sequence; the cipher applies them in order.
      case 'commit':
      case 'committed':
        this.seqs.saw(msg.seq);
        await this.cipher.onServer?.(msg);
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
        return this.evicted(r.evicted);
      case 'dropped':
        return;
      case 'forged':
        this.setState({
          forgeries: this.store.value.forgeries + 1,
          notice: 'A message failed its signature check and was hidden: someone in this room may be trying to impersonate another member.',
        });
        return;
      case 'replay':
        this.setState({ replays: this.store.value.replays + 1 });
        return;
      case 'refused':
        return this.overBudget(r.signer.handle);
      case 'message':
        this.evicted(r.evicted);
        return this.showReceived(r);
      default: {
        const never: never = r;
        return never;
      }
    }
  }

  /** A member ran out of its own reassembly budget: only its messages are lost, and the alert says whose. */
  private overBudget(handle: string): void {
    this.setState({ notice: `${handle} sent more than this app holds at once, so some of its messages were dropped. Messages from everyone else still arrive.` });
  }

  /** Unfinished messages dropped to make room for a lighter sender: their sender holds the most. */
  private evicted(members: string[]): void {
    for (const m of members) this.overBudget(this.cipher.handleOf(m) ?? 'A member');
  }

  private showReceived(r: Extract<InboxResult, { status: 'message' }>): void {
    const id = `${r.signer.fingerprint}:${r.messageId}`;
    const now = Date.now();
    // Our own frames can come back in a backlog replay: they are on screen already.
    if (r.signer.fingerprint === this.store.value.self?.fingerprint) return;
    if (this.seen.has(id) || this.burnt.has(id) || (r.meta.releaseAt !== undefined && !isReleaseAtSane(r.meta.releaseAt, now))) return;
    this.seen.add(id);
    const lookalike = this.noteKey(r.signer);
    const { msg, held } = receivedMessage(id, r, now);
    this.view.addInOrder(lookalike ? { ...msg, lookalike } : msg);
    if (held) this.held.hold(id, held, r.meta.releaseAt, r.meta.once === true, now);
    // A late message may fill a gap already on screen.
    this.gaps.delivered(r.order.stream);
  }

  /** Remembers a key seen in this room; true if another key's handle looks like this one's, and then all of them are marked. */
  private noteKey(label: KeyLabel): boolean {
    return this.lookalikeWatch.note(label, (fingerprints, handles) =>
      batch(() => {
        this.view.markLookalike(fingerprints);
        this.setState({ lookalikes: [...new Set([...this.store.value.lookalikes, ...handles])] });
      }),
    );
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
    clearInterval(this.gapTimer);
    this.secret.fill(0);
    this.keys.accessKey.fill(0);
    this.ticket = undefined;
    batch(() => {
      this.view.clear();
      this.held.clear();
      this.cipher.clear();
      this.outbox.clear();
      this.setState({ members: [], safetyCode: '' });
    });
    this.seen.clear();
    this.lookalikeWatch.clear();
    this.gaps.clear();
    this.unregister();
  }
}

function displayRules(opts: SendOptions): Pick<MessageMeta, 'releaseAt' | 'once'> {
  return { ...(opts.releaseAt !== undefined ? { releaseAt: Math.round(opts.releaseAt) } : {}), ...(opts.once ? { once: true } : {}) };
}
