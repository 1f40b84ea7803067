import type { DirectContent } from '../../../protocol/src/direct-content.js';
import type { IceResponse } from '../../../protocol/src/messages/signal-ice.js';
import { watchIce } from './ice-watch.js';
import type { Diagnosis, IceOffer } from './nat-diagnostics.js';
import { PerfectNegotiation } from './negotiation.js';
import { selectedPath, type PathInfo } from './path.js';

/** The data channel's most unsent bytes before sends wait (Chromium closes a channel whose buffer passes 16 MiB). */
export const CHANNEL_HIGH_WATER_BYTES = 1024 * 1024;

export interface PeerLinkDeps {
  RTCPeerConnection: typeof RTCPeerConnection;
  ice: IceResponse;
  /** Which servers the ICE answer offers, for the diagnosis. */
  offer: IceOffer;
  hideIp: boolean;
  polite: boolean;
  /** Sends an SDP description or candidate to the peer, sealed, over /signal. */
  sendRtc(content: Extract<DirectContent, { k: 'description' | 'candidate' }>): void;
  onOpen(): void;
  onFrame(frame: Uint8Array<ArrayBuffer>): void;
  onClose(): void;
  /** ICE gave up. */
  onFailed(): void;
  onError(err: Error): void;
  onCollision(): void;
  /** A fresh diagnosis each time gathering learns something (ice-watch.ts). */
  onDiagnosis(d: Diagnosis): void;
}

/**
 * The WebRTC half of a direct session: one peer connection and its one
 * ordered data channel, opened by the impolite side so a normal start has one
 * offer; perfect negotiation settles a collision without a deadlock.
 */
export class PeerLink {
  private readonly pc: RTCPeerConnection;
  private readonly negotiation: PerfectNegotiation;
  private dc: RTCDataChannel | undefined;
  private opened = false;

  constructor(private readonly deps: PeerLinkDeps) {
    const pc = new deps.RTCPeerConnection({ iceServers: deps.ice.iceServers, iceTransportPolicy: deps.hideIp ? 'relay' : 'all' });
    this.pc = pc;
    this.negotiation = new PerfectNegotiation({
      pc,
      polite: deps.polite,
      sendDescription: (d) => deps.sendRtc({ k: 'description', description: { type: d.type, sdp: d.sdp ?? '' } }),
      sendCandidate: (c) => deps.sendRtc({ k: 'candidate', candidate: { ...c, candidate: c.candidate ?? '' } }),
      onError: (err) => deps.onError(err),
      onCollision: () => deps.onCollision(),
    });
    watchIce(pc, deps.offer, deps.hideIp, (d) => deps.onDiagnosis(d));
    if (deps.polite) pc.ondatachannel = (ev) => this.attach(ev.channel);
    else this.attach(pc.createDataChannel('ghostwire', { ordered: true }));
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' && !this.opened) deps.onFailed();
    };
  }

  get isOpen(): boolean {
    return this.dc?.readyState === 'open';
  }

  private attach(dc: RTCDataChannel): void {
    if (this.dc) return;
    dc.binaryType = 'arraybuffer';
    dc.bufferedAmountLowThreshold = CHANNEL_HIGH_WATER_BYTES / 2;
    this.dc = dc;
    dc.onopen = () => this.open();
    dc.onmessage = (ev: MessageEvent) => {
      if (ev.data instanceof ArrayBuffer) this.deps.onFrame(new Uint8Array(ev.data));
    };
    dc.onclose = () => {
      if (this.opened) this.deps.onClose();
    };
    // A channel handed over by ondatachannel may already be open with its open event still queued.
    if (dc.readyState === 'open') this.open();
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    this.deps.onOpen();
  }

  description(d: RTCSessionDescriptionInit): Promise<void> {
    return this.negotiation.description(d);
  }

  candidate(c: RTCIceCandidateInit): Promise<void> {
    return this.negotiation.candidate(c);
  }

  /** Sends one frame, first waiting while the channel's buffer is past CHANNEL_HIGH_WATER_BYTES; false if the channel is not open. */
  async send(frame: Uint8Array<ArrayBuffer>): Promise<boolean> {
    const dc = this.dc;
    if (!dc || dc.readyState !== 'open') return false;
    if (dc.bufferedAmount > CHANNEL_HIGH_WATER_BYTES) {
      await new Promise<void>((resolve) => dc.addEventListener('bufferedamountlow', () => resolve(), { once: true }));
      if (dc.readyState !== 'open') return false;
    }
    dc.send(frame);
    return true;
  }

  /** The selected path, once connected (candidate types only, no addresses). */
  async path(): Promise<PathInfo | null> {
    return selectedPath(await this.pc.getStats());
  }

  close(): void {
    this.dc?.close();
    this.pc.close();
  }
}
