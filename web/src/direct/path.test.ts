import { describe, expect, it } from 'vitest';
import { selectedPath } from './path.js';

describe('selectedPath', () => {
  it('follows the transport to the selected pair and names both candidate types', () => {
    const stats = new Map<string, Record<string, unknown>>([
      ['T1', { type: 'transport', selectedCandidatePairId: 'P2' }],
      ['P1', { type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true, state: 'succeeded' }],
      ['P2', { type: 'candidate-pair', localCandidateId: 'L2', remoteCandidateId: 'R1' }],
      ['L1', { type: 'local-candidate', candidateType: 'host', protocol: 'udp' }],
      ['L2', { type: 'local-candidate', candidateType: 'relay', protocol: 'udp' }],
      ['R1', { type: 'remote-candidate', candidateType: 'srflx' }],
    ]);
    expect(selectedPath(stats)).toEqual({ local: 'relay', remote: 'srflx', relayed: true, protocol: 'udp' });
    stats.delete('T1');
    expect(selectedPath(stats)).toEqual({ local: 'host', remote: 'srflx', relayed: false, protocol: 'udp' });
    expect(selectedPath(new Map())).toBeNull();
  });
});
