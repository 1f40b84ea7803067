import { describe, expect, it } from 'vitest';
import { PerfectNegotiation } from './negotiation.js';

/** Just enough of RTCPeerConnection to drive the pattern's decisions. */
function fakePc(signalingState: RTCSignalingState) {
  const calls: string[] = [];
  const pc = {
    signalingState,
    localDescription: null as null | { toJSON(): RTCSessionDescriptionInit },
    onnegotiationneeded: null as null | (() => Promise<void>),
    onicecandidate: null,
    async setRemoteDescription(d: RTCSessionDescriptionInit) {
      calls.push(`remote:${d.type}`);
      pc.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    },
    async setLocalDescription() {
      const type = pc.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
      calls.push(`local:${type}`);
      pc.localDescription = { toJSON: () => ({ type, sdp: 'v=0' }) };
      pc.signalingState = type === 'answer' ? 'stable' : 'have-local-offer';
    },
    async addIceCandidate() {
      calls.push('candidate');
      throw new Error('no remote description');
    },
  };
  return { pc, calls };
}

function negotiate(polite: boolean, state: RTCSignalingState) {
  const { pc, calls } = fakePc(state);
  const sent: RTCSessionDescriptionInit[] = [];
  const collisions: boolean[] = [];
  const n = new PerfectNegotiation({
    pc: pc as unknown as RTCPeerConnection,
    polite,
    sendDescription: (d) => sent.push(d),
    sendCandidate: () => undefined,
    onError: (e) => {
      throw e;
    },
    onCollision: (ignored) => collisions.push(ignored),
  });
  return { n, calls, sent, collisions };
}

describe('PerfectNegotiation', () => {
  it('on a collision, the impolite side ignores the incoming offer (and its candidates)', async () => {
    const s = negotiate(false, 'have-local-offer');
    await s.n.description({ type: 'offer', sdp: 'v=0' });
    await s.n.candidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' });
    expect(s.calls).toEqual(['candidate']);
    expect(s.sent).toEqual([]);
    expect(s.collisions).toEqual([true]);
  });

  it('on a collision, the polite side rolls back and answers the incoming offer', async () => {
    const s = negotiate(true, 'have-local-offer');
    await s.n.description({ type: 'offer', sdp: 'v=0' });
    expect(s.calls).toEqual(['remote:offer', 'local:answer']);
    expect(s.sent).toEqual([{ type: 'answer', sdp: 'v=0' }]);
    expect(s.collisions).toEqual([false]);
    // Outside an ignored offer, a failing candidate is a real error.
    await expect(s.n.candidate({ candidate: 'candidate:x' })).rejects.toThrow();
  });

  it('without a collision, either side answers an offer', async () => {
    const s = negotiate(false, 'stable');
    await s.n.description({ type: 'offer', sdp: 'v=0' });
    expect(s.sent.map((d) => d.type)).toEqual(['answer']);
    expect(s.collisions).toEqual([]);
  });
});
