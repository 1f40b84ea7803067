import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { isReleaseAtSane, type MessageMeta } from '../../../protocol/src/content.js';
import { fromBase64url, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { deriveRoomKeys, newRoomSecret, type RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { labelForKey, lookalikeKey, type KeyLabel } from '../../../protocol/src/crypto/fingerprint.js';
import { newMessageId, RoomInbox, sealMessage, SendCounter, type InboxResult, type OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import { intersect, union, type Ranges } from '../../../protocol/src/crypto/streams.js';
import { isPublicRoomMeta, openRoomName } from '../../../protocol/src/crypto/room-meta.js';
import { roomSafetyCode } from '../../../protocol/src/crypto/safety-code.js';
import { generateSigningIdentity, type SigningIdentity } from '../../../protocol/src/crypto/sign.js';
import { MAX_TEXT_CHARS, ROOM_SECRET_BYTES } from '../../../protocol/src/limits.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import { noteGhostActivity } from '../ghost-view.js';
import { createBlobUrl } from '../media/blob-urls.js';
import { MediaError, stripImage } from '../media/strip.js';
import type { ConnectionState, WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { GHOST_IDLE_MS } from './ghost.js';
import { burntIn } from './burnt.js';
import { HeldMessages } from './held.js';
import { presenceNotice } from './presence-notice.js';
import { MessageView, ownMessage, receivedMessage, type ChatMessage } from './message-view.js';
import { Outbox } from './outbox.js';
import { roomFragment } from '../fragment.js';
import { createRoom, fetchJoinToken, mintInviteTicket, type RoomApiEnv, type RoomSettings } from './room-api.js';
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
}

/** Everything about the room besides its messages, as one value. */
export interface RoomState {
  /** Our relay member id on the current connection. */
  me: string | null;
  members: string[];
  /** Our own handle and colour. */
  self: KeyLabel | null;
  connection: ConnectionState;
  expiresAt: number | null;
  notice: string | null;
  /** Frames sealed with the room key whose signature or key binding failed (someone in the room misbehaves). */
  forgeries: number;
  /** Short code derived from the room secret; members compare it to detect a tampered link. */
  safetyCode: string;
  /** The room's name, when its creator gave one (read from the room's meta). */
  name: string | null;
  /** A public room: listed in the lobby with its secret, so anyone can read it. */
  isPublic: boolean;
  /** Rotating invites: joining needs a fresh ticket, so the invite link and QR carry one that members mint. */
  invites: boolean;
  /** Correctly signed copies of messages already shown, dropped: the relay (or whoever recorded the room) played them again. */
  replays: number;
  /** Handles of different keys seen in this room that look alike (same skeleton): each is marked where it shows. */
  lookalikes: string[];
}

const initialState: RoomState = {
  me: null,
  members: [],
  self: null,
  connection: { phase: 'idle' },
  expiresAt: null,
  notice: null,
  forgeries: 0,
  safetyCode: '',
  name: null,
  isPublic: false,
  invites: false,
  replays: 0,
  lookalikes: [],
};

/** How often unfinished incoming messages are checked against REASSEMBLY_TIMEOUT_MS. */
const SWEEP_INTERVAL_MS = 10_000;
/**
 * How often missing messages are looked for. A message is shown as missing
 * once it has been missing at two checks in a row (so after one to two
 * intervals): the relay's instances may deliver a moment out of order, and a
 * message whose parts are still arriving is not missing.
 */
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
  private readonly inbox: RoomInbox;
  private readonly identity: Promise<SigningIdentity>;
  private readonly held: HeldMessages;
  private readonly outbox: Outbox;
  private readonly seen = new Set<string>();
  /** Viewed read-once messages of this room: they stay burnt across rejoins for the page's life. */
  private readonly burnt: Set<string>;
  private readonly counter = new SendCounter();
  /** Every key seen in this room (ours included), by handle skeleton: two keys under one skeleton look alike. */
  private readonly bySkeleton = new Map<string, Map<string, string>>();
  /** Per sender stream: missing at the last check, and shown as missing now. */
  private lastMissing = new Map<string, Ranges>();
  private readonly shownGaps = new Map<string, Ranges>();
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
    this.inbox = new RoomInbox(keys.contentKey, keys.roomId);
    this.burnt = burntIn(keys.roomId);
    this.identity = env.identity ? Promise.resolve(env.identity) : generateSigningIdentity();
    void this.identity.then(async (id) => {
      const self = await labelForKey(id.publicKey);
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
      seal: async (member, out) => sealMessage(this.keys.contentKey, this.keys.roomId, member, await this.identity, out),
      sendFrame: (ref, frame) => {
        if (!this.client.send({ v: PROTOCOL_VERSION, type: 'frame', room: this.keys.roomId, ref, data: toBase64url(frame) })) return false;
        noteGhostActivity(GHOST_IDLE_MS);
        return true;
      },
      update: (id, patch) => this.view.update(id, patch),
    });
    this.sweeper = setInterval(() => this.inbox.sweep(), SWEEP_INTERVAL_MS);
    this.gapTimer = setInterval(() => this.checkGaps(), GAP_CHECK_MS);
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
    void roomSafetyCode(secret).then((safetyCode) => this.setState({ safetyCode }));
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
    return `${this.env.origin}/r#${roomFragment({ secret: toBase64url(this.secret), ...(ticket ? { ticket } : {}) })}`;
  }

  /** Mints a fresh invite ticket through the relay (members of a room with rotating invites only). */
  mintTicket(): Promise<{ ticket: string; expiresAt: number }> {
    return mintInviteTicket(this.env, this.keys);
  }

  get roomId(): string {
    return this.keys.roomId;
  }

  /** Creates a room on the relay from a fresh secret and joins it. */
  static async create(env: RoomEnv, settings: RoomSettings = {}): Promise<RoomSession> {
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
        const id = await this.identity;
        await this.inbox.members.bindSelf(msg.member, id.alg, id.publicKey);
        this.outbox.resend();
        return;
      }
      case 'presence': {
        const others = this.store.value.members.filter((m) => m !== msg.member);
        this.setState({ members: msg.event === 'join' ? [...others, msg.member] : others });
        this.view.add(presenceNotice(msg.event, msg.member, this.view.messages.value));
        return;
      }
      case 'sent':
        this.seqs.saw(msg.seq);
        { this.outbox.onAck(msg.ref, msg.delivered); return; }
      case 'frame': {
        this.seqs.saw(msg.seq);
        let frame: Uint8Array<ArrayBuffer>;
        try {
          frame = fromBase64url(msg.data);
        } catch {
          return;
        }
        this.onInbox(await this.inbox.receive(msg.from, frame)); return;
      }
      case 'error':
        this.setState({ notice: msg.message });
        if (msg.ref !== undefined) this.outbox.onError(msg.ref);
        return;
      // MLS handshakes take seqs of the room's one sequence; this client does not apply them yet.
      case 'commit':
      case 'committed':
        this.seqs.saw(msg.seq);
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
    for (const m of members) this.overBudget(this.inbox.members.labelOf(m)?.handle ?? 'A member');
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
    if (this.shownGaps.has(r.order.stream)) this.showGaps(r.order.stream, intersect(this.shownGaps.get(r.order.stream)!, this.inbox.missing(r.order.stream).get(r.order.stream) ?? []));
  }

  /**
   * Remembers a key seen in this room (for the page's life of the room, so a
   * look-alike that joins after the original left is caught too); true if
   * another key's handle looks like this one's, and then both are marked.
   */
  private noteKey(label: KeyLabel): boolean {
    const skeleton = lookalikeKey(label.handle);
    let keys = this.bySkeleton.get(skeleton);
    if (!keys) this.bySkeleton.set(skeleton, (keys = new Map<string, string>()));
    const known = keys.has(label.fingerprint);
    keys.set(label.fingerprint, label.handle);
    if (keys.size < 2) return false;
    if (!known) {
      batch(() => {
        this.view.markLookalike(new Set(keys.keys()));
        this.setState({ lookalikes: [...new Set([...this.store.value.lookalikes, ...keys.values()])] });
      });
    }
    return true;
  }

  /** Shows as missing what was missing at this check and the one before (or is shown already and still missing). */
  private checkGaps(): void {
    const now = this.inbox.missing();
    for (const stream of new Set([...now.keys(), ...this.shownGaps.keys()])) {
      const cur = now.get(stream) ?? [];
      this.showGaps(stream, intersect(cur, union(this.lastMissing.get(stream) ?? [], this.shownGaps.get(stream) ?? [])));
    }
    this.lastMissing = now;
  }

  private showGaps(stream: string, ranges: Ranges): void {
    const before = this.shownGaps.get(stream) ?? [];
    if (JSON.stringify(before) === JSON.stringify(ranges)) return;
    if (ranges.length) this.shownGaps.set(stream, ranges);
    else this.shownGaps.delete(stream);
    this.view.flush();
    const sample = this.view.messages.value.find((m) => m.order?.stream === stream && m.kind !== 'gap');
    this.view.setGaps(stream, ranges, { from: sample?.from ?? '', handle: sample?.handle ?? 'A member', colour: sample?.colour ?? 'inherit' });
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
      this.inbox.clear();
      this.outbox.clear();
      this.setState({ members: [], safetyCode: '' });
    });
    this.seen.clear();
    this.bySkeleton.clear();
    this.lastMissing.clear();
    this.shownGaps.clear();
    this.unregister();
  }
}

function displayRules(opts: SendOptions): Pick<MessageMeta, 'releaseAt' | 'once'> {
  return { ...(opts.releaseAt !== undefined ? { releaseAt: Math.round(opts.releaseAt) } : {}), ...(opts.once ? { once: true } : {}) };
}
