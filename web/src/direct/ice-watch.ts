import { countCandidate, diagnose, emptyGathered, type Diagnosis, type Gathered, type IceOffer } from './nat-diagnostics.js';

/**
 * Follows one RTCPeerConnection's gathering (its candidates, the STUN/TURN
 * servers' errors, the end of gathering) and hands a fresh diagnosis to
 * `onChange` each time something is learnt. Listeners are added beside the
 * negotiation's own handlers, not in place of them. `settle()` treats
 * gathering as over (a probe that stopped waiting).
 */
export function watchIce(pc: RTCPeerConnection, offer: IceOffer, hideIp: boolean, onChange: (d: Diagnosis) => void): { settle(): void } {
  let g: Gathered = emptyGathered();
  const update = (next: Gathered) => {
    g = next;
    onChange(diagnose(offer, g, hideIp));
  };
  const onCandidate = (ev: RTCPeerConnectionIceEvent) => {
    if (ev.candidate?.candidate) update(countCandidate(g, ev.candidate.candidate));
  };
  const onError = (ev: Event) => {
    // Firefox has no errorCode on some builds: count it as "no answer" (701), the least specific.
    const code = (ev as RTCPeerConnectionIceErrorEvent).errorCode;
    update({ ...g, errors: [...g.errors, typeof code === 'number' ? code : 701] });
  };
  const onGathering = () => {
    if (pc.iceGatheringState === 'complete') update({ ...g, complete: true });
  };
  pc.addEventListener('icecandidate', onCandidate);
  pc.addEventListener('icecandidateerror', onError);
  pc.addEventListener('icegatheringstatechange', onGathering);
  // Known before any candidate: hide-my-IP without TURN can never connect.
  queueMicrotask(() => update(g));
  return { settle: () => update({ ...g, complete: true }) };
}
