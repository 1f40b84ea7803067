import { signal, type ReadonlySignal } from '@preact/signals';
import { fromBase64url, randomBytes, toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { directRoomId, newDirectSecret, type DirectKeys } from '../../../protocol/src/crypto/direct.js';
import type { WholeDirectContent } from '../../../protocol/src/direct-content.js';
import { DIRECT_FRAME_BYTES, DIRECT_MAX_TEXT_CHARS, DIRECT_SECRET_BYTES } from '../../../protocol/src/limits.js';
import type { IceResponse } from '../../../protocol/src/messages/signal-ice.js';
import type { DirectPath } from '../../../protocol/src/messages/signal-path.js';
import type { SignalServerMessage } from '../../../protocol/src/signal-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { appendAudit, countSent, type AuditEvent } from './audit.js';
import { PeerBudget } from './budget.js';
import { COVER_MIB_PER_HOUR, jitterDelay, startCover } from './camouflage.js';
import { DirectCodec, type Stream } from './codec.js';
import { fetchIce } from './ice.js';
import { KeyAgreement, type KeyOutcome } from './keying.js';
import { MessageLog } from './message-log.js';
import { diagnose, emptyGathered, pathKind, type IceOffer } from './nat-diagnostics.js';
import { describePath } from './path.js';
import { PeerLink } from './peer-link.js';
import { SignalClient } from './signal-client.js';
import { initialDirectState, type DirectState } from './state.js';
import { DAMAGED_LINK, NO_TURN, signalCloseSentence, signalErrorSentence } from './words.js';

export type { DirectState } from './state.js';

/** How long to wait for a WebRTC path before offering the relay. */
export const DIRECT_CONNECT_TIMEOUT_MS = 20_000;
/** A flood episode is logged once; a new one needs this long without drops. */
const FLOOD_QUIET_MS = 10_000;

export interface DirectOptions {
  /** Force relay-only ICE (iceTransportPolicy 'relay'): the peer never learns your address. */
  hideIp: boolean;
  cover: boolean;
  jitter: boolean;
}

export interface DirectEnv {
  origin: string;
  WebSocket: WebSocketCtor;
  /** Absent where WebRTC is (Tor Browser, media.peerconnection.enabled=false): the relay path is offered at once. */
  RTCPeerConnection: typeof RTCPeerConnection | undefined;
  fetch?: typeof fetch;
  connectTimeoutMs?: number;
}

/**
 * One direct ("GhostWire") session: /signal for meeting, ephemeral ECDH
 * bound to the link secret D, key confirmation, then a WebRTC data channel
 * (or, if no path connects and the user agrees, the relay) carrying frames
 * of exactly DIRECT_FRAME_BYTES sealed with the session key. What the peer
 * sends is held to a receive budget (budget.ts) before it is opened or shown.
 */
export class DirectSession {
  private readonly store = signal<DirectState>(initialDirectState(false, false));
  private readonly signal: SignalClient;
  private ice: IceResponse = { iceServers: [], turn: false, expiresAt: null };
  private keying: KeyAgreement | undefined;
  private keys: DirectKeys | undefined;
  private codec: DirectCodec | undefined;
  private link: PeerLink | undefined;
  private transport: 'none' | 'channel' | 'relay' = 'none';
  private inbox: Promise<void> = Promise.resolve();
  private outbox: Promise<void> = Promise.resolve();
  private stopCover: (() => void) | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** One report per session for the relay's counters: the side that opens the channel (impolite). */
  private reportsPath = false;
  private readonly budget = new PeerBudget();
  private readonly log: MessageLog;
  /** Counted per frame, published with the next flush. */
  private readonly counts = { coverDropped: 0, framesRefused: 0, notShown: 0, dismissedAt: 0, lastDrop: -Infinity };
  private readonly unregister: () => void;

  private constructor(
    private readonly secret: Uint8Array<ArrayBuffer> | null,
    private readonly env: DirectEnv,
    readonly options: DirectOptions,
  ) {
    this.store.value = initialDirectState(options.cover, options.jitter);
    this.log = new MessageLog(() => this.publish());
    this.signal = new SignalClient({
      url: env.origin.replace(/^http/, 'ws') + '/signal',
      WebSocket: env.WebSocket,
      onMessage: (m) => this.onSignal(m),
      onClose: (code) => this.onSignalClosed(code),
    });
    this.unregister = registerWipe(() => this.wipe());
  }

  /** What the page shows; change it only through setState. */
  get state(): ReadonlySignal<DirectState> {
    return this.store;
  }

  /** The one way the session's state changes. */
  private setState(patch: Partial<DirectState>): void {
    this.store.value = { ...this.store.peek(), ...patch };
  }

  /** Stranger sessions have no link secret: only the safety number detects a man in the middle. */
  get stranger(): boolean {
    return this.secret === null;
  }

  /** The direct link: D only in the fragment, which browsers never send. */
  get linkUrl(): string | null {
    return this.secret ? `${this.env.origin}/d#${toBase64url(this.secret)}` : null;
  }

  /** Starts a session with a fresh D; share `linkUrl` with the other person. */
  static async create(env: DirectEnv, options: DirectOptions): Promise<DirectSession> {
    const s = new DirectSession(newDirectSecret(), env, options);
    await s.start();
    return s;
  }

  /** Joins the session whose D came from a direct link's fragment. */
  static async join(secretText: string, env: DirectEnv, options: DirectOptions): Promise<DirectSession> {
    let secret: Uint8Array<ArrayBuffer>;
    try {
      secret = fromBase64url(secretText);
    } catch {
      throw new Error(DAMAGED_LINK);
    }
    if (secret.length !== DIRECT_SECRET_BYTES) throw new Error(DAMAGED_LINK);
    const s = new DirectSession(secret, env, options);
    await s.start();
    return s;
  }

  /** Waits to be paired with a random stranger. */
  static async stranger(env: DirectEnv, options: DirectOptions): Promise<DirectSession> {
    const s = new DirectSession(null, env, options);
    await s.start();
    return s;
  }

  private audit(kind: AuditEvent['kind'], text: string, ok?: boolean): void {
    this.setState({ audit: appendAudit(this.store.peek().audit, { at: Date.now(), kind, text, ...(ok === undefined ? {} : { ok }) }) });
  }

  private get noTurn(): boolean {
    return this.options.hideIp && !this.ice.turn;
  }

  /** What this relay's ICE answer offers, for nat-diagnostics.ts. */
  private get iceOffer(): IceOffer {
    return { stun: this.ice.iceServers.some((s) => s.urls.some((u) => u.startsWith('stun'))), turn: this.ice.turn };
  }

  private async start(): Promise<void> {
    this.ice = await fetchIce(this.env.origin, this.env.fetch);
    this.setState({ turnAvailable: this.ice.turn });
    // Said at once, not after the connect timeout: nothing relay-only can connect without TURN.
    if (this.noTurn) {
      this.setState({ notice: NO_TURN });
      this.audit('warning', 'Hide my IP is on but this relay has no TURN server, so a direct connection is impossible.', false);
    }
    this.audit('padding', `Every packet is exactly ${DIRECT_FRAME_BYTES} bytes (long messages are split), so sizes do not show what you send.`);
    if (this.options.cover) this.audit('cover', `You asked for cover traffic: noise packets about every 2 s, about ${COVER_MIB_PER_HOUR.toFixed(1)} MiB per hour each way.`);
    if (this.secret) this.signal.open({ v: PROTOCOL_VERSION, type: 'join', room: await directRoomId(this.secret) });
    else this.signal.open({ v: PROTOCOL_VERSION, type: 'stranger' });
  }

  private onSignal(msg: SignalServerMessage): void {
    if (msg.type === 'rtc' || msg.type === 'data') return this.receive(fromBase64url(msg.data), msg.type === 'rtc' ? 'rtc' : 'data', 'relay');
    this.inbox = this.inbox.then(() => this.onControl(msg)).catch((err: unknown) => this.fail(err));
  }

  private async onControl(msg: Exclude<SignalServerMessage, { type: 'rtc' | 'data' }>): Promise<void> {
    switch (msg.type) {
      case 'waiting':
        { this.setState({ phase: 'waiting' }); return; }
      case 'joined':
        this.audit('signal', msg.peer ? 'Met the other person on the relay.' : 'Waiting on the relay for the other person.');
        if (msg.peer) return this.beginKeying();
        { this.setState({ phase: 'waiting' }); return; }
      case 'peer':
        if (msg.event === 'join' && this.transport === 'channel') { this.audit('warning', 'Someone else arrived on the relay; your direct connection is not affected.'); return; }
        if (msg.event === 'join') return this.beginKeying();
        { this.peerLeft(); return; }
      case 'key':
        this.keying ??= this.newKeyAgreement();
        { this.settle(await this.keying.onPeerKey(fromBase64url(msg.pub))); return; }
      case 'confirm':
        this.keying ??= this.newKeyAgreement();
        { this.settle(await this.keying.onPeerConfirm(fromBase64url(msg.mac))); return; }
      case 'error':
        { this.setState({ notice: signalErrorSentence(msg.code) }); return; }
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private beginKeying(): Promise<void> {
    const { phase } = this.store.peek();
    if (phase === 'refused') return Promise.resolve();
    this.keying ??= this.newKeyAgreement();
    if (phase === 'starting' || phase === 'waiting') this.setState({ phase: 'keying', notice: this.noTurn ? NO_TURN : null });
    return this.keying.begin().then(() => undefined);
  }

  private newKeyAgreement(): KeyAgreement {
    return new KeyAgreement({
      secret: this.secret,
      sendKey: (pub) => this.signal.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub }),
      sendConfirm: (mac) => this.signal.send({ v: PROTOCOL_VERSION, type: 'confirm', mac }),
      log: (kind, text, ok) => this.audit(kind, text, ok),
      onSafetyNumber: (n) => this.setState({ safety: n }),
    });
  }

  private settle(outcome: KeyOutcome | null): void {
    if (!outcome || this.store.peek().phase === 'refused') return;
    if (!outcome.ok) return this.refuse(outcome.reason);
    this.keys = outcome.keys;
    this.codec = new DirectCodec(outcome.keys);
    // Nothing is gathered in this case, so the diagnosis is what the ICE answer alone says (no TURN: no peer path).
    if (this.noTurn) return this.setState({ phase: 'no-path', notice: NO_TURN, diagnosis: diagnose(this.iceOffer, emptyGathered(), true) });
    if (!this.env.RTCPeerConnection) return this.noWebRtc();
    this.startPeer(this.env.RTCPeerConnection, outcome.polite);
  }

  private refuse(message: string): void {
    this.setState({ phase: 'refused', notice: message });
    this.keys = undefined;
    this.codec = undefined;
    this.signal.close();
  }

  private startPeer(RTCPeerConnection: typeof globalThis.RTCPeerConnection, polite: boolean): void {
    this.reportsPath = !polite;
    this.link = new PeerLink({
      RTCPeerConnection,
      ice: this.ice,
      offer: this.iceOffer,
      hideIp: this.options.hideIp,
      polite,
      sendRtc: (c) => this.sendSealed(c, (frame) => this.signal.send({ v: PROTOCOL_VERSION, type: 'rtc', data: toBase64url(frame) })),
      onOpen: () => void this.channelOpen(),
      onFrame: (frame) => this.receive(frame, 'data', 'channel'),
      onClose: () => {
        if (this.transport !== 'channel') return;
        this.transport = 'none';
        this.applyCover();
        this.setState({ phase: 'closed', notice: 'The direct connection closed. To talk again, start a new direct link.' });
      },
      onFailed: () => this.noPath(),
      onDiagnosis: (d) => {
        this.setState({ diagnosis: d });
        // Offered as soon as it is the only way, not after DIRECT_CONNECT_TIMEOUT_MS.
        if (d.noPeerPath && this.transport !== 'channel') this.noPath();
      },
      onError: (err) => this.fail(err),
      onCollision: () => this.audit('signal', 'Both devices tried to connect at the same moment; that was sorted out automatically.'),
    });
    this.setState({ phase: 'connecting' });
    this.connectTimer = setTimeout(() => this.noPath(), this.env.connectTimeoutMs ?? DIRECT_CONNECT_TIMEOUT_MS);
  }

  private noPath(): void {
    if (this.store.peek().phase !== 'connecting') return;
    this.setState({ phase: 'no-path', notice: 'No direct connection was possible. You can continue through the relay with the same end-to-end key.' });
    this.audit('path', 'No direct connection was possible.', false);
  }

  /** No WebRTC in this browser: offer the relay path as soon as the keys are agreed, rather than trying and failing. */
  private noWebRtc(): void {
    this.setState({
      phase: 'no-path',
      notice: 'This browser has no WebRTC, so there is no direct connection. You can continue through the relay with the same end-to-end key.',
    });
    this.audit('path', 'No WebRTC in this browser: a direct connection was not tried.', false);
  }

  private async channelOpen(): Promise<void> {
    if (this.transport === 'channel') return;
    clearTimeout(this.connectTimer);
    this.transport = 'channel';
    this.setState({ phase: 'open', notice: null });
    this.sendPrefs();
    this.applyCover();
    const p = (await this.link?.path()) ?? null;
    this.setState({ path: p });
    this.audit('path', p ? describePath(p) : 'Connected directly (the route is unknown).', true);
    if (p && this.reportsPath) this.reportPath(pathKind(p));
  }

  /** Continues through the relay (/signal `data` frames) with the same key, when no WebRTC path connected. */
  useRelay(byPeer = false): void {
    if (!this.keys || this.transport === 'relay') return;
    if (!byPeer) this.reportPath('relay-fallback');
    clearTimeout(this.connectTimer);
    this.link?.close();
    this.link = undefined;
    this.transport = 'relay';
    this.setState({ phase: 'relayed', notice: 'Talking through the relay with the same end-to-end key: the relay sees when and how much you send, never what.' });
    this.audit('path', 'Switched to sending through the relay (same key, same packet size).', true);
    this.sendPrefs();
    this.applyCover();
  }

  /** Tells the relay which kind of path this session took (never an address), for its aggregate /metrics. */
  private reportPath(path: DirectPath): void {
    if (this.signal.send({ v: PROTOCOL_VERSION, type: 'path', path })) {
      this.audit('signal', `Told the relay this session's path kind ("${path}") for its aggregate counters; no address.`);
    }
  }

  /** Turns my wish for cover traffic on or off; it runs while either side wants it. */
  setCover(on: boolean): void {
    const { cover } = this.store.peek();
    if (cover.mine === on) return;
    this.setState({ cover: { ...cover, mine: on } });
    this.sendPrefs();
    this.applyCover();
  }

  setJitter(on: boolean): void {
    this.setState({ jitter: on });
  }

  private sendPrefs(): void {
    if (this.transport !== 'none') this.enqueue({ k: 'prefs', cover: this.store.peek().cover.mine });
  }

  private applyCover(): void {
    const { cover } = this.store.peek();
    const want = (cover.mine || cover.theirs) && this.transport !== 'none';
    if (want && !this.stopCover) {
      this.stopCover = startCover(() => this.enqueue({ k: 'cover' }));
      const who = cover.mine && cover.theirs ? 'you both asked for it' : cover.mine ? 'you asked for it' : 'the other person asked for it';
      this.audit('cover', `Cover traffic is on both ways (${who}): noise packets about every 2 s, about ${COVER_MIB_PER_HOUR.toFixed(1)} MiB per hour each way.`);
    } else if (!want && this.stopCover) {
      this.stopCover();
      this.stopCover = undefined;
      if (this.transport !== 'none') this.audit('cover', 'Cover traffic is off: neither of you asks for it.');
    }
  }

  /** Every frame from the peer enters here: the byte budget is checked before anything is decrypted. */
  private receive(frame: Uint8Array<ArrayBuffer>, stream: Stream, via: 'channel' | 'relay'): void {
    if (!this.budget.frame(frame.length)) {
      this.counts.framesRefused++;
      return this.flooded();
    }
    this.inbox = this.inbox.then(() => this.onFrame(frame, stream, via)).catch((err: unknown) => this.fail(err));
  }

  private async onFrame(frame: Uint8Array<ArrayBuffer>, stream: Stream, via: 'channel' | 'relay'): Promise<void> {
    const content = await this.codec?.open(frame, stream);
    if (!content) return;
    if (stream === 'rtc') {
      if (content.k === 'description') await this.link?.description(content.description);
      else if (content.k === 'candidate') await this.link?.candidate(content.candidate);
      return;
    }
    if (via === 'relay' && this.transport !== 'relay' && this.keys) {
      this.useRelay(true);
      this.setState({ notice: 'The other person continued through the relay; your messages now go that way too, with the same end-to-end key.' });
    }
    switch (content.k) {
      case 'cover':
        this.counts.coverDropped++;
        { this.log.poke(); return; }
      case 'ack':
        { this.log.mark(content.id, 'delivered'); return; }
      case 'prefs':
        if (content.cover === this.store.peek().cover.theirs) return;
        this.setState({ cover: { ...this.store.peek().cover, theirs: content.cover } });
        { this.applyCover(); return; }
      case 'text':
        if (this.log.has(content.id)) return;
        if (!this.budget.message()) {
          this.counts.notShown++;
          this.flooded(); return;
        }
        this.log.add({ id: content.id, mine: false, body: content.body, at: Date.now() });
        { this.enqueue({ k: 'ack', id: content.id }); return; }
      default:
        // SDP and candidates belong on the rtc stream only.
        return;
    }
  }

  private flooded(): void {
    const t = performance.now();
    if (t - this.counts.lastDrop > FLOOD_QUIET_MS) this.audit('flood', 'The other person sent far more than anyone types; the excess was not shown.', false);
    this.counts.lastDrop = t;
    this.log.poke();
  }

  /** Hides the flooding notice until more is dropped. */
  dismissFlood(): void {
    this.counts.dismissedAt = this.counts.notShown + this.counts.framesRefused;
    this.publish();
  }

  private publish(): void {
    const c = this.counts;
    const dropped = c.notShown + c.framesRefused - c.dismissedAt;
    const stats = this.store.peek().stats;
    this.setState({
      messages: this.log.messages,
      stats: { ...stats, coverDropped: c.coverDropped, framesRefused: c.framesRefused },
      flood: dropped > 0 ? { dropped } : null,
    });
  }

  /** Seals and sends a text message over the current path; false if no path is open or it is empty. */
  send(body: string): boolean {
    const text = body.trim().slice(0, DIRECT_MAX_TEXT_CHARS);
    if (!text || this.transport === 'none') return false;
    const id = toBase64url(randomBytes(12));
    this.log.add({ id, mine: true, body: text, at: Date.now(), delivery: 'sending' });
    this.enqueue({ k: 'text', id, body: text, at: Date.now() }, id);
    return true;
  }

  private enqueue(content: WholeDirectContent, messageId?: string): void {
    const jitter = messageId !== undefined && this.store.peek().jitter;
    this.sendSealed(
      content,
      (frame) => this.deliver(frame),
      jitter,
      (ok) => messageId && this.log.mark(messageId, ok ? 'sent' : 'failed'),
    );
  }

  /** Seals in order (a candidate must not overtake its description; parts stay together) and hands each frame to `out`. */
  private sendSealed(
    content: WholeDirectContent,
    out: (frame: Uint8Array<ArrayBuffer>) => boolean | Promise<boolean>,
    jitter = false,
    done?: (ok: boolean) => void,
  ): void {
    const codec = this.codec;
    if (!codec) return done?.(false);
    this.outbox = this.outbox
      .then(async () => {
        if (jitter) await new Promise((r) => setTimeout(r, jitterDelay()));
        let ok = true;
        for (const frame of await codec.seal(content)) {
          if (!(await out(frame))) ok = false;
          else if (content.k !== 'description' && content.k !== 'candidate') this.setState({ stats: countSent(this.store.peek().stats, frame.length, content.k === 'cover') });
        }
        done?.(ok);
      })
      .catch((err: unknown) => {
        done?.(false);
        this.fail(err);
      });
  }

  private deliver(frame: Uint8Array<ArrayBuffer>): boolean | Promise<boolean> {
    if (this.transport === 'channel' && this.link) return this.link.send(frame);
    if (this.transport === 'relay') return this.signal.send({ v: PROTOCOL_VERSION, type: 'data', data: toBase64url(frame) });
    return false;
  }

  /** Marks the safety number as compared in person (kept in memory only). */
  markVerified(): void {
    const s = this.store.peek();
    if (!s.safety || s.verified) return;
    this.setState({ verified: true });
    this.audit('verify', 'You marked the safety number as checked with the other person.', true);
  }

  private peerLeft(): void {
    if (this.transport === 'channel') return this.audit('signal', 'The other person left the relay; your direct connection does not need it and stays open.');
    this.audit('signal', 'The other person left; the keys of that attempt were thrown away.');
    this.resetPeer();
    const refused = this.store.peek().phase === 'refused';
    this.setState({ phase: refused ? 'refused' : 'waiting', notice: refused ? this.store.peek().notice : 'The other person left. Waiting for them to come back with the same link.' });
  }

  private resetPeer(): void {
    clearTimeout(this.connectTimer);
    this.stopCover?.();
    this.stopCover = undefined;
    this.link?.close();
    this.link = undefined;
    this.codec?.clear();
    this.codec = undefined;
    this.keying = undefined;
    this.keys = undefined;
    this.transport = 'none';
    const { cover } = this.store.peek();
    this.setState({ safety: null, verified: false, path: null, diagnosis: null, cover: { ...cover, theirs: false } });
  }

  private onSignalClosed(code: number): void {
    if (this.transport === 'channel') return this.audit('signal', 'The relay connection closed; your direct connection does not need it.');
    if (this.store.peek().phase === 'refused') return;
    this.resetPeer();
    this.setState({ phase: 'closed', notice: signalCloseSentence(code) });
  }

  private fail(err: unknown): void {
    // The error's name only: a message could quote SDP (addresses) into the log.
    const name = err instanceof Error ? err.name : 'Error';
    this.audit('warning', `Something went wrong inside the connection (${name}). If messages stop arriving, leave and open the link again.`, false);
  }

  /** Closes everything and forgets the link secret, keys and messages. */
  wipe(): void {
    this.resetPeer();
    this.signal.close();
    this.secret?.fill(0);
    this.log.clear();
    this.setState({ messages: [], audit: [], phase: 'closed' });
    this.unregister();
  }
}

