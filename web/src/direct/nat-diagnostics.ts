import type { DirectPath } from '../../../protocol/src/messages/signal-path.js';
import type { PathInfo } from './path.js';

/** What one side's ICE gathering produced: counts by candidate type, and the servers' errors. */
export interface Gathered {
  host: number;
  srflx: number;
  relay: number;
  /** RTCPeerConnectionIceErrorEvent.errorCode of each icecandidateerror (STUN/TURN error codes, or 7xx for no answer). */
  errors: number[];
  /** icegatheringstate reached 'complete'. */
  complete: boolean;
}

export const emptyGathered = (): Gathered => ({ host: 0, srflx: 0, relay: 0, errors: [], complete: false });

/** What the relay's GET /api/ice offers. */
export interface IceOffer {
  stun: boolean;
  turn: boolean;
}

/** Counts a gathered candidate by its `typ` (an a=candidate line or RTCIceCandidate.candidate). */
export function countCandidate(g: Gathered, candidate: string): Gathered {
  const typ = / typ (host|srflx|prflx|relay)\b/.exec(candidate)?.[1];
  if (typ === 'host') return { ...g, host: g.host + 1 };
  if (typ === 'srflx' || typ === 'prflx') return { ...g, srflx: g.srflx + 1 };
  if (typ === 'relay') return { ...g, relay: g.relay + 1 };
  return g;
}

/**
 * TURN answered but refused: 401 Unauthorized (wrong or expired credentials,
 * RFC 8489 §9.2), 403 Forbidden, 437/441 allocation or credential mismatch,
 * 486 quota reached. Codes 700-799 mean the server did not answer (the W3C
 * spec reserves them for "no response").
 */
const TURN_REFUSED = new Set([401, 403, 437, 441, 486]);
const isRefused = (code: number) => TURN_REFUSED.has(code);
const isUnreachable = (code: number) => code >= 700 && code < 800;

export type PathVerdict = 'works' | 'failed' | 'not-offered' | 'not-tried' | 'pending';

export interface Diagnosis {
  /** Straight between the two devices' addresses (host candidates). */
  direct: PathVerdict;
  /** Through NAT mappings STUN found (server-reflexive candidates). */
  stun: PathVerdict;
  /** Through the TURN server (relay candidates). */
  turn: PathVerdict;
  /** No WebRTC path can connect from this side: offer the relay fallback now. */
  noPeerPath: boolean;
  /** Plain sentences, one per finding, for the page. */
  findings: string[];
}

/** Turns what this side gathered into verdicts per path and sentences (pure; the page and "test my connection" share it). */
export function diagnose(offer: IceOffer, g: Gathered, hideIp: boolean): Diagnosis {
  const findings: string[] = [];
  const refused = g.errors.some(isRefused);
  const unreachable = g.errors.some(isUnreachable);

  const direct: PathVerdict = hideIp ? 'not-tried' : g.host > 0 ? 'works' : g.complete ? 'failed' : 'pending';
  let stun: PathVerdict;
  if (hideIp) stun = 'not-tried';
  else if (!offer.stun) stun = 'not-offered';
  else stun = g.srflx > 0 ? 'works' : g.complete ? 'failed' : 'pending';
  let turn: PathVerdict;
  if (!offer.turn) turn = 'not-offered';
  else turn = g.relay > 0 ? 'works' : g.complete || refused ? 'failed' : 'pending';

  if (hideIp) findings.push('Hide my IP is on: only the TURN path is tried, so the other person never sees your address.');
  if (!hideIp && !offer.stun) findings.push('This relay configures no STUN server: only same-network or TURN paths can connect.');
  if (stun === 'failed') findings.push('The STUN server did not answer: this network may block UDP.');
  if (!offer.turn) findings.push('This relay offers no TURN server: if the direct paths fail there is no WebRTC path, and the relay fallback is the way.');
  if (offer.turn && refused && g.relay === 0) findings.push('The TURN server refused the credentials this relay gave (wrong shared secret, expired, or over quota). Tell the operator.');
  else if (offer.turn && unreachable && g.relay === 0) findings.push('The TURN server did not answer: it is down, or this network blocks it.');
  if (turn === 'works' && !hideIp && direct !== 'works' && stun !== 'works' && g.complete) findings.push('Only a relay path is possible from this network.');

  // Decided only when nothing else can still appear: gathering done, or TURN the only hope and it refused us.
  const peerPathPossible = g.relay > 0 || (!hideIp && (g.host > 0 || g.srflx > 0));
  const settled = g.complete || (hideIp && offer.turn && refused) || (hideIp && !offer.turn);
  const noPeerPath = settled && !peerPathPossible;
  if (noPeerPath) findings.push('No peer-to-peer path can connect from here. Continue through the relay: the same end-to-end key, the relay sees only sizes and timing.');
  return { direct, stun, turn, noPeerPath, findings };
}

/** The path kind a connected session reports for the relay's aggregate counters (no addresses). */
export function pathKind(p: PathInfo): Exclude<DirectPath, 'relay-fallback'> {
  if (p.relayed) return 'relay';
  // prflx (an address first seen in a connectivity check, often before its signalled candidate
  // arrived) says nothing about NAT by itself: only a server-reflexive end counts as srflx.
  if (p.local === 'srflx' || p.remote === 'srflx') return 'srflx';
  return 'host';
}
