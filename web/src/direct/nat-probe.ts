import type { IceResponse } from '../../../protocol/src/messages/signal-ice.js';
import { watchIce } from './ice-watch.js';
import type { Diagnosis } from './nat-diagnostics.js';

/** How long "test my connection" waits for gathering to end (browsers take up to ~10 s per unanswered server). */
export const NAT_PROBE_TIMEOUT_MS = 12_000;

/**
 * "Test my connection": gathers candidates against the relay's ICE servers in
 * a throwaway RTCPeerConnection (nothing is sent to anyone but those servers)
 * and diagnoses which paths this network allows. `hideIp` tests relay-only.
 */
export async function probeNat(
  ice: IceResponse,
  hideIp: boolean,
  Pc: typeof RTCPeerConnection = RTCPeerConnection,
  timeoutMs = NAT_PROBE_TIMEOUT_MS,
): Promise<Diagnosis> {
  const pc = new Pc({ iceServers: ice.iceServers, iceTransportPolicy: hideIp ? 'relay' : 'all' });
  const offer = { stun: ice.iceServers.some((s) => s.urls.some((u) => u.startsWith('stun'))), turn: ice.turn };
  let last: Diagnosis | undefined;
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        watch.settle();
        resolve();
      }, timeoutMs);
      const watch = watchIce(pc, offer, hideIp, (d) => {
        last = d;
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
      pc.createDataChannel('probe');
      void pc.createOffer().then((o) => pc.setLocalDescription(o));
    });
  } finally {
    pc.close();
  }
  return last!;
}
