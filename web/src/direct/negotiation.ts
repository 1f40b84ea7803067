export interface NegotiationDeps {
  pc: RTCPeerConnection;
  /** Exactly one side is polite; direct mode picks it by key fingerprint (protocol/src/crypto/direct.ts isPolite). */
  polite: boolean;
  sendDescription(d: RTCSessionDescriptionInit): void;
  sendCandidate(c: RTCIceCandidateInit): void;
  onError(err: Error): void;
  /** An offer collision happened and was resolved (for the audit panel). */
  onCollision?(ignoredOurs: boolean): void;
}

/**
 * The "perfect negotiation" pattern (MDN, W3C webrtc-pc §10.7): both sides
 * may offer at any time; on a collision the impolite side ignores the
 * incoming offer and the polite side rolls back its own.
 */
export class PerfectNegotiation {
  private makingOffer = false;
  private ignoreOffer = false;
  private isSettingRemoteAnswerPending = false;

  constructor(private readonly deps: NegotiationDeps) {
    const { pc } = deps;
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (pc.localDescription) deps.sendDescription(pc.localDescription.toJSON());
      } catch (err) {
        deps.onError(err as Error);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) deps.sendCandidate(candidate.toJSON());
    };
  }

  /** Applies a description from the other peer. */
  async description(description: RTCSessionDescriptionInit): Promise<void> {
    const { pc, polite } = this.deps;
    const readyForOffer = !this.makingOffer && (pc.signalingState === 'stable' || this.isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.ignoreOffer = !polite && offerCollision;
    if (offerCollision) this.deps.onCollision?.(this.ignoreOffer);
    if (this.ignoreOffer) return;
    this.isSettingRemoteAnswerPending = description.type === 'answer';
    await pc.setRemoteDescription(description);
    this.isSettingRemoteAnswerPending = false;
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      if (pc.localDescription) this.deps.sendDescription(pc.localDescription.toJSON());
    }
  }

  /** Adds a candidate from the other peer; failures for an ignored offer's candidates are expected. */
  async candidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.deps.pc.addIceCandidate(candidate);
    } catch (err) {
      if (!this.ignoreOffer) throw err;
    }
  }
}
