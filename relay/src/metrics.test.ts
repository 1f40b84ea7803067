import { describe, expect, it } from 'vitest';
import { newMetrics, renderPrometheus } from './metrics.js';

describe('renderPrometheus', () => {
  it('writes HELP, TYPE and a value for every series, without labels', () => {
    const m = { ...newMetrics(), framesRelayed: 7, connectionsOpen: 2 };
    const text = renderPrometheus(m, { roomsActive: 3, uptimeSeconds: 10, draining: true });
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('# TYPE ghostwire_frames_relayed_total counter\nghostwire_frames_relayed_total 7\n');
    expect(text).toContain('# TYPE ghostwire_connections_open gauge\nghostwire_connections_open 2\n');
    expect(text).toContain('ghostwire_rooms_active 3\n');
    expect(text).toContain('ghostwire_draining 1\n');
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) ghostwire_[a-z_]+ .+|ghostwire_[a-z_]+ \d+)$/);
    }
  });
});
