import { signal } from '@preact/signals';
import { CloseCode } from '../../../protocol/src/codes.js';
import { fromBase64url, fromUtf8, randomBytes, toBase64url, utf8 } from '../../../protocol/src/crypto/bytes.js';
import { directRoomId, newDirectSecret, openDirect, sealDirect, type DirectKeys, type SafetyNumber } from '../../../protocol/src/crypto/direct.js';
import { directContentSchema, type DirectContent } from '../../../protocol/src/direct-content.js';
import { DIRECT_FRAME_UNIT_BYTES, DIRECT_SECRET_BYTES } from '../../../protocol/src/limits.js';
import type { IceResponse } from '../../../protocol/src/messages/signal-ice.js';
import type { DirectPath } from '../../../protocol/src/messages/signal-path.js';
import type { SignalServerMessage } from '../../../protocol/src/signal-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { WebSocketCtor } from '../net/relay-client.js';
import { registerWipe } from '../wipe.js';
import { countSent, emptyStats, type AuditEvent, type TrafficStats } from './audit.js';
import { COVER_MIB_PER_HOUR, jitterDelay, startCover } from './camouflage.js';
import { fetchIce } from './ice.js';
import { KeyAgreement, type KeyOutcome } from './keying.js';
import { watchIce } from './ice-watch.js';
import { pathKind, type Diagnosis } from './nat-diagnostics.js';
import { PerfectNegotiation } from './negotiation.js';
import { describePath, selectedPath, type PathInfo } from './path.js';
import { SignalClient } from './signal-client.js';

/** How long to wait for a WebRTC path before offering the relay. */
export const DIRECT_CONNECT_TIMEOUT_MS = 20_000;

export type DirectPhase = 'starting' | 'waiting' | 'keying' | 'connecting' | 'open' | 'no-path' | 'relayed' | 'refused' | 'closed';

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

export interface DirectMessage {
  id: string;
  mine: boolean;
  body: string;
  at: number;
}

/**
 * One direct ("GhostWire") session: /signal for meeting, ephemeral ECDH
 * bound to the link secret D, key confirmation, then a WebRTC data channel
 * (or, if no path connects and the user agrees, the relay) carrying frames
 * sealed with the session key and padded to DIRECT_FRAME_UNIT_BYTES.
 */
export class DirectSession {
  readonly phase = signal<DirectPhase>('starting');
  readonly notice = signal<string | null>(null);
  readonly safety = signal<SafetyNumber | null>(null);
  readonly verified = signal(false);
  readonly path = signal<PathInfo | null>(null);
  readonly audit = signal<AuditEvent[]>([]);
  readonly messages = signal<DirectMessage[]>([]);
  readonly stats = signal<TrafficStats>(emptyStats());
  readonly turnAvailable = signal(false);
  /** What this side's ICE gathering found, path by path (nat-diagnostics.ts). */
  readonly diagnosis = signal<Diagnosis | null>(null);

  private readonly signal: SignalClient;
  private ice: IceResponse = { iceServers: [], turn: false, expiresAt: null };
  private keying: KeyAgreement | undefined;
  private keys: DirectKeys | undefined;
  private pc: RTCPeerConnection | undefined;
  private dc: RTCDataChannel | undefined;
  private negotiation: PerfectNegotiation | undefined;
  private transport: 'none' | 'channel' | 'relay' = 'none';
  private inbox: Promise<void> = Promise.resolve();
  private outbox: Promise<void> = Promise.resolve();
  private stopCover: (() => void) | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private reportsPath = false;
  private readonly seen = new Set<string>();
  private readonly unregister: () => void;

  private constructor(
    private readonly secret: Uint8Array<ArrayBuffer> | null,
    private readonly env: DirectEnv,
    readonly options: DirectOptions,
  ) {
    this.signal = new SignalClient({
      url: env.origin.replace(/^http/, 'ws') + '/signal',
      WebSocket: env.WebSocket,
      onMessage: (m) => (this.inbox = this.inbox.then(() => this.onSignal(m)).catch((err: Error) => this.fail(err))),
      onClose: (code) => this.onSignalClosed(code),
    });
    this.unregister = registerWipe(() => this.wipe());
  }

  /** Stranger sessions have no link secret: only the safety number detects a man in the middle. */
  get stranger(): boolean {
    return this.secret === null;
  }

  /** The direct link: D only in the fragment, which browsers never send. */
  get link(): string | null {
    return this.secret ? `${this.env.origin}/d#${toBase64url(this.secret)}` : null;
  }

  /** Starts a session with a fresh D; share `link` with the other person. */
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
      throw new Error('This direct link is damaged. Ask for the link again.');
    }
    if (secret.length !== DIRECT_SECRET_BYTES) throw new Error('This direct link is damaged. Ask for the link again.');
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

  private log(kind: AuditEvent['kind'], text: string, ok?: boolean): void {
    this.audit.value = [...this.audit.value, { at: Date.now(), kind, text, ...(ok === undefined ? {} : { ok }) }];
  }

  private async start(): Promise<void> {
    this.ice = await fetchIce(this.env.origin, this.env.fetch);
    this.turnAvailable.value = this.ice.turn;
    if (this.options.hideIp && !this.ice.turn) {
      this.log('warning', 'Hide my IP is on but this relay offers no TURN server: no peer-to-peer path can connect. You will be offered to continue through the relay.');
    }
    this.log('padding', `Every frame is padded to a multiple of ${DIRECT_FRAME_UNIT_BYTES} bytes before encryption.`);
    if (this.options.cover) this.log('cover', `Cover traffic on: one ${DIRECT_FRAME_UNIT_BYTES}-byte packet about every 2 s, about ${COVER_MIB_PER_HOUR.toFixed(1)} MiB per hour each way.`);
    if (this.secret) {
      this.signal.open({ v: PROTOCOL_VERSION, type: 'join', room: await directRoomId(this.secret) });
    } else {
      this.signal.open({ v: PROTOCOL_VERSION, type: 'stranger' });
    }
  }

  private async onSignal(msg: SignalServerMessage): Promise<void> {
    switch (msg.type) {
      case 'waiting':
        this.phase.value = 'waiting';
        return;
      case 'joined':
        this.log('signal', msg.peer ? 'Met the other person on the signaling relay.' : 'Waiting on the signaling relay for the other person.');
        if (msg.peer) return this.beginKeying();
        this.phase.value = 'waiting';
        return;
      case 'peer':
        if (msg.event === 'join' && this.transport === 'channel') return this.log('warning', 'Someone else joined the signaling room; the open direct channel is unaffected.');
        if (msg.event === 'join') return this.beginKeying();
        return this.peerLeft();
      case 'key':
        this.keying ??= this.newKeyAgreement();
        return this.settle(await this.keying.onPeerKey(fromBase64url(msg.pub)));
      case 'confirm':
        this.keying ??= this.newKeyAgreement();
        return this.settle(await this.keying.onPeerConfirm(fromBase64url(msg.mac)));
      case 'rtc':
        return this.onRtc(fromBase64url(msg.data));
      case 'data':
        return this.onFrame(fromBase64url(msg.data), 'relay');
      case 'error':
        this.notice.value = msg.message;
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private beginKeying(): Promise<void> {
    if (this.phase.value === 'refused') return Promise.resolve();
    this.keying ??= this.newKeyAgreement();
    if (this.phase.value === 'starting' || this.phase.value === 'waiting') this.phase.value = 'keying';
    return this.keying.begin().then(() => undefined);
  }

  private newKeyAgreement(): KeyAgreement {
    return new KeyAgreement({
      secret: this.secret,
      sendKey: (pub) => this.signal.send({ v: PROTOCOL_VERSION, type: 'key', alg: 'P-384', pub }),
      sendConfirm: (mac) => this.signal.send({ v: PROTOCOL_VERSION, type: 'confirm', mac }),
      log: (kind, text, ok) => this.log(kind, text, ok),
      onSafetyNumber: (n) => (this.safety.value = n),
    });
  }

  private async settle(outcome: KeyOutcome | null): Promise<void> {
    if (!outcome || this.phase.value === 'refused') return;
    if (!outcome.ok) return this.refuse(outcome.reason);
    this.keys = outcome.keys;
    await this.startPeer(outcome.polite);
  }

  private refuse(message: string): void {
    this.phase.value = 'refused';
    this.notice.value = message;
    this.keys = undefined;
    this.signal.close();
  }

  private async startPeer(polite: boolean): Promise<void> {
    if (!this.env.RTCPeerConnection) return this.noWebRtc();
    const pc = new this.env.RTCPeerConnection({ iceServers: this.ice.iceServers, iceTransportPolicy: this.options.hideIp ? 'relay' : 'all' });
    this.pc = pc;
    this.negotiation = new PerfectNegotiation({
      pc,
      polite,
      sendDescription: (d) => this.sendRtc({ k: 'description', description: { type: d.type, sdp: d.sdp ?? '' } }),
      sendCandidate: (c) => this.sendRtc({ k: 'candidate', candidate: { ...c, candidate: c.candidate ?? '' } }),
      onError: (err) => this.fail(err),
      onCollision: (ignored) => this.log('signal', `Offer collision resolved by perfect negotiation (${ignored ? 'impolite: kept our offer' : 'polite: took theirs'}).`),
    });
    this.log('signal', `Perfect negotiation: this side is ${polite ? 'polite' : 'impolite'} (chosen by key fingerprint).`);
    // One report per session for the relay's counters: the side that opens the channel.
    this.reportsPath = !polite;
    watchIce(pc, { stun: this.ice.iceServers.some((s) => s.urls.some((u) => u.startsWith('stun'))), turn: this.ice.turn }, this.options.hideIp, (d) => {
      this.diagnosis.value = d;
      // Offered as soon as it is the only way, not after DIRECT_CONNECT_TIMEOUT_MS.
      if (d.noPeerPath && this.transport !== 'channel') this.noPath();
    });
    // The impolite side opens the channel, so a normal start has one offer; perfect negotiation
    // still settles a collision (both sides renegotiating, an ICE restart) without a deadlock.
    if (polite) pc.ondatachannel = (ev) => this.attachChannel(ev.channel);
    else this.attachChannel(pc.createDataChannel('ghostwire', { ordered: true }));
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && this.transport !== 'channel') this.noPath();
    };
    this.phase.value = 'connecting';
    this.connectTimer = setTimeout(() => this.noPath(), this.env.connectTimeoutMs ?? DIRECT_CONNECT_TIMEOUT_MS);
  }

  private attachChannel(dc: RTCDataChannel): void {
    if (this.dc) return;
    dc.binaryType = 'arraybuffer';
    this.dc = dc;
    dc.onopen = () => void this.channelOpen();
    dc.onmessage = (ev: MessageEvent) => {
      if (!(ev.data instanceof ArrayBuffer)) return;
      const frame = new Uint8Array(ev.data);
      this.inbox = this.inbox.then(() => this.onFrame(frame, 'channel')).catch((err: Error) => this.fail(err));
    };
    dc.onclose = () => {
      if (this.transport !== 'channel') return;
      this.transport = 'none';
      this.phase.value = 'closed';
      this.notice.value = 'The direct connection closed.';
    };
    if (dc.readyState === 'open') void this.channelOpen();
  }

  private noPath(): void {
    if (this.phase.value !== 'connecting') return;
    this.phase.value = 'no-path';
    this.notice.value = this.options.hideIp && !this.turnAvailable.value
      ? 'No peer-to-peer path: hide my IP needs a TURN server and this relay has none. You can continue through the relay with the same end-to-end key.'
      : 'No peer-to-peer path connected. You can continue through the relay with the same end-to-end key.';
    this.log('path', 'No WebRTC path connected.', false);
  }

  /** No WebRTC in this browser: offer the relay path as soon as the keys are agreed, rather than trying and failing. */
  private noWebRtc(): void {
    this.phase.value = 'no-path';
    this.notice.value = 'This browser has no WebRTC, so there is no peer-to-peer path. You can continue through the relay with the same end-to-end key.';
    this.log('path', 'No WebRTC in this browser: peer to peer not tried.', false);
  }

  private async channelOpen(): Promise<void> {
    // Once: a channel handed over by ondatachannel may already be open with its open event still queued.
    if (this.transport === 'channel') return;
    clearTimeout(this.connectTimer);
    this.transport = 'channel';
    this.phase.value = 'open';
    this.notice.value = null;
    this.startCoverIfAsked();
    const report = await this.pc?.getStats();
    const p = report ? selectedPath(report) : null;
    this.path.value = p;
    this.log('path', p ? describePath(p) : 'Data channel open (path unknown).', true);
    if (p && this.reportsPath) this.reportPath(pathKind(p));
  }

  /** Continues through the relay (/signal `data` frames) with the same key, when no WebRTC path connected. */
  useRelay(byPeer = false): void {
    if (!this.keys || this.transport === 'relay') return;
    if (!byPeer) this.reportPath('relay-fallback');
    clearTimeout(this.connectTimer);
    this.pc?.close();
    this.pc = undefined;
    this.transport = 'relay';
    this.phase.value = 'relayed';
    this.notice.value = 'Continuing through the relay with the same end-to-end key: the relay sees when and how much you send, never what.';
    this.log('path', 'Switched to the relay fallback (same session key, same padding).', true);
    this.startCoverIfAsked();
  }

  /** Tells the relay which kind of path this session took (never an address), for its aggregate /metrics. */
  private reportPath(path: DirectPath): void {
    if (this.signal.send({ v: PROTOCOL_VERSION, type: 'path', path })) {
      this.log('signal', `Told the relay this session's path kind ("${path}") for its aggregate counters; no address.`);
    }
  }

  private startCoverIfAsked(): void {
    if (!this.options.cover || this.stopCover) return;
    this.stopCover = startCover(() => this.enqueue({ k: 'cover' }, false));
  }

  private sendRtc(content: DirectContent): void {
    const keys = this.keys;
    if (!keys) return;
    // Sealed in order: a candidate must not overtake its description.
    this.outbox = this.outbox
      .then(async () => {
        const frame = await sealDirect(keys, utf8(JSON.stringify(content)));
        this.signal.send({ v: PROTOCOL_VERSION, type: 'rtc', data: toBase64url(frame) });
      })
      .catch((err: Error) => this.fail(err));
  }

  private async onRtc(frame: Uint8Array<ArrayBuffer>): Promise<void> {
    const content = await this.decrypt(frame);
    if (!content || !this.negotiation) return;
    if (content.k === 'description') await this.negotiation.description(content.description);
    else if (content.k === 'candidate') await this.negotiation.candidate(content.candidate);
  }

  private async decrypt(frame: Uint8Array<ArrayBuffer>): Promise<DirectContent | null> {
    if (!this.keys) return null;
    try {
      const parsed = directContentSchema.safeParse(JSON.parse(fromUtf8(await openDirect(this.keys, frame))));
      return parsed.success ? parsed.data : null;
    } catch {
      // Not sealed with this session's key (forged, tampered, or another session): drop it.
      return null;
    }
  }

  private async onFrame(frame: Uint8Array<ArrayBuffer>, via: 'channel' | 'relay'): Promise<void> {
    const content = await this.decrypt(frame);
    if (!content) return;
    if (via === 'relay' && this.transport !== 'relay' && this.keys) {
      this.useRelay(true);
      this.notice.value = 'The other person continued through the relay; your messages now go that way too, with the same end-to-end key.';
    }
    if (content.k === 'cover') {
      this.stats.value = { ...this.stats.value, coverDropped: this.stats.value.coverDropped + 1 };
      return;
    }
    if (content.k !== 'text' || this.seen.has(content.id)) return;
    this.seen.add(content.id);
    this.messages.value = [...this.messages.value, { id: content.id, mine: false, body: content.body, at: content.at }];
  }

  /** Seals and sends a text message over the current path; false if no path is open. */
  send(body: string): boolean {
    const text = body.trim();
    if (!text || this.transport === 'none') return false;
    const content: DirectContent = { k: 'text', id: toBase64url(randomBytes(12)), body: text, at: Date.now() };
    this.seen.add(content.id);
    this.messages.value = [...this.messages.value, { id: content.id, mine: true, body: text, at: content.at }];
    this.enqueue(content, this.options.jitter);
    return true;
  }

  private enqueue(content: DirectContent, jitter: boolean): void {
    const keys = this.keys;
    if (!keys) return;
    this.outbox = this.outbox.then(async () => {
      if (jitter) await new Promise((r) => setTimeout(r, jitterDelay()));
      const frame = await sealDirect(keys, utf8(JSON.stringify(content)));
      if (this.deliver(frame)) this.stats.value = countSent(this.stats.value, frame.length, content.k === 'cover');
    }).catch((err: Error) => this.fail(err));
  }

  private deliver(frame: Uint8Array<ArrayBuffer>): boolean {
    if (this.transport === 'channel' && this.dc?.readyState === 'open') {
      this.dc.send(frame);
      return true;
    }
    if (this.transport === 'relay') return this.signal.send({ v: PROTOCOL_VERSION, type: 'data', data: toBase64url(frame) });
    return false;
  }

  /** Marks the safety number as compared in person (kept in memory only). */
  markVerified(): void {
    if (!this.safety.value || this.verified.value) return;
    this.verified.value = true;
    this.log('verify', 'Safety number marked as verified by you.', true);
  }

  private peerLeft(): void {
    if (this.transport === 'channel') return this.log('signal', 'The other person left the signaling relay; the direct channel stays open.');
    this.notice.value = 'The other person left. Waiting for them to come back with the same link.';
    this.log('signal', 'The other person left; keys of that attempt were dropped.');
    this.resetPeer();
    this.phase.value = this.phase.value === 'refused' ? 'refused' : 'waiting';
  }

  private resetPeer(): void {
    clearTimeout(this.connectTimer);
    this.stopCover?.();
    this.stopCover = undefined;
    this.dc?.close();
    this.pc?.close();
    this.dc = undefined;
    this.pc = undefined;
    this.negotiation = undefined;
    this.keying = undefined;
    this.keys = undefined;
    this.transport = 'none';
    this.safety.value = null;
    this.verified.value = false;
    this.diagnosis.value = null;
    this.path.value = null;
  }

  private onSignalClosed(code: number): void {
    if (this.transport === 'channel') return this.log('signal', 'The signaling relay closed; the direct channel does not need it.');
    if (this.phase.value === 'refused') return;
    this.resetPeer();
    this.phase.value = 'closed';
    this.notice.value =
      code === CloseCode.RoomFull
        ? 'Two people are already in this direct session. Ask for a new direct link.'
        : code === CloseCode.RoomGone
          ? 'This direct session ran out of time on the relay. Create a new direct link.'
          : 'The connection to the signaling relay closed. Open the link again to retry.';
  }

  private fail(err: Error): void {
    // The error's name only: a message could quote SDP (addresses) into the audit panel.
    this.log('warning', `Unexpected error: ${err.name}.`, false);
  }

  /** Closes everything and forgets the link secret, keys and messages. */
  wipe(): void {
    this.resetPeer();
    this.signal.close();
    this.secret?.fill(0);
    this.messages.value = [];
    this.audit.value = [];
    this.seen.clear();
    this.phase.value = 'closed';
    this.unregister();
  }
}
