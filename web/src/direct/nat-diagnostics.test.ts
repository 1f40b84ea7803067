import { describe, expect, it } from 'vitest';
import { countCandidate, diagnose, emptyGathered, pathKind, type Gathered } from './nat-diagnostics.js';

const g = (over: Partial<Gathered>): Gathered => ({ ...emptyGathered(), ...over });

describe('countCandidate', () => {
  it('counts by the typ field and ignores end-of-candidates', () => {
    let x = emptyGathered();
    x = countCandidate(x, 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host generation 0');
    x = countCandidate(x, 'candidate:2 1 udp 1686052607 203.0.113.9 40000 typ srflx raddr 0.0.0.0 rport 0');
    x = countCandidate(x, 'candidate:3 1 udp 41885439 198.51.100.4 49160 typ relay raddr 203.0.113.9 rport 40000');
    x = countCandidate(x, '');
    expect(x).toMatchObject({ host: 1, srflx: 1, relay: 1 });
  });
});

describe('diagnose', () => {
  it('with hide-my-IP and no TURN offered, says there is no peer path at once (no waiting for a timeout)', () => {
    const d = diagnose({ stun: true, turn: false }, g({}), true);
    expect(d.noPeerPath).toBe(true);
    expect(d.turn).toBe('not-offered');
    expect(d.findings.join(' ')).toMatch(/offers no TURN server/);
  });
  it('with hide-my-IP, a TURN 401 means the credentials were refused, and no path, before gathering ends', () => {
    const d = diagnose({ stun: false, turn: true }, g({ errors: [401] }), true);
    expect(d.turn).toBe('failed');
    expect(d.noPeerPath).toBe(true);
    expect(d.findings.join(' ')).toMatch(/refused the credentials/);
  });
  it('names an unreachable TURN server (7xx) and waits for gathering to end before giving up', () => {
    const open = diagnose({ stun: false, turn: true }, g({ errors: [701] }), true);
    expect(open.noPeerPath).toBe(false);
    const done = diagnose({ stun: false, turn: true }, g({ errors: [701], complete: true }), true);
    expect(done.noPeerPath).toBe(true);
    expect(done.findings.join(' ')).toMatch(/did not answer/);
  });
  it('a relay candidate is a path, and "only a relay path" is said when host and STUN found nothing', () => {
    const d = diagnose({ stun: true, turn: true }, g({ relay: 1, complete: true }), false);
    expect(d).toMatchObject({ turn: 'works', stun: 'failed', direct: 'failed', noPeerPath: false });
    expect(d.findings.join(' ')).toMatch(/Only a relay path is possible/);
  });
  it('without STUN configured says so, and host candidates keep a peer path possible', () => {
    const d = diagnose({ stun: false, turn: false }, g({ host: 2, complete: true }), false);
    expect(d).toMatchObject({ direct: 'works', stun: 'not-offered', noPeerPath: false });
    expect(d.findings.join(' ')).toMatch(/no STUN server/);
  });
});

describe('pathKind', () => {
  it('maps a selected pair to host, srflx or relay', () => {
    expect(pathKind({ local: 'relay', remote: 'host', relayed: true, protocol: 'udp' })).toBe('relay');
    expect(pathKind({ local: 'host', remote: 'srflx', relayed: false, protocol: 'udp' })).toBe('srflx');
    expect(pathKind({ local: 'host', remote: 'prflx', relayed: false, protocol: 'udp' })).toBe('host');
  });
});
