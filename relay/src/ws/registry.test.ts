import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { SocketRegistry, type Tracked } from './registry.js';

const sock = (): Tracked & { pings: number; timeouts: number; expired: number } => ({
  alive: true,
  ghost: undefined,
  pings: 0,
  timeouts: 0,
  expired: 0,
  ping() {
    this.pings++;
  },
  timedOut() {
    this.timeouts++;
  },
  purposeless() {
    this.expired++;
  },
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SocketRegistry', () => {
  it('caps sockets per ghost and frees a slot when one goes', () => {
    const reg = new SocketRegistry({ ...loadConfig({}).ws, maxSocketsPerGhost: 2 });
    const [a, b, c] = [sock(), sock(), sock()];
    for (const s of [a, b, c]) reg.add(s);
    expect(reg.claimGhost(a, 'g')).toBe(true);
    expect(reg.claimGhost(a, 'g')).toBe(true); // the same socket again costs nothing
    expect(reg.claimGhost(b, 'g')).toBe(true);
    expect(reg.claimGhost(c, 'g')).toBe(false);
    expect(reg.claimGhost(c, 'other')).toBe(true);
    reg.remove(a);
    expect(reg.socketsOf('g')).toBe(1);
    const d = sock();
    reg.add(d);
    expect(reg.claimGhost(d, 'g')).toBe(true);
    for (const s of [b, c, d]) reg.remove(s);
    expect(reg.size).toBe(0);
    expect(reg.socketsOf('g')).toBe(0);
  });

  it('pings live sockets and times out the ones that did not pong', async () => {
    const reg = new SocketRegistry({ ...loadConfig({}).ws, heartbeatMs: 50 });
    const quiet = sock();
    const chatty = sock();
    reg.add(quiet);
    reg.add(chatty);
    const end = Date.now() + 5000;
    while (quiet.timeouts === 0 && Date.now() < end) {
      chatty.alive = true; // a pong
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(quiet.pings).toBeGreaterThanOrEqual(1);
    expect(quiet.timeouts).toBeGreaterThanOrEqual(1);
    expect(chatty.timeouts).toBe(0);
    reg.remove(quiet);
    reg.remove(chatty);
  });

  it('closes sockets that joined nothing by the deadline, with one timer, and restarts the deadline after the last leave', () => {
    vi.useFakeTimers();
    const reg = new SocketRegistry({ ...loadConfig({}).ws, joinDeadlineMs: 1000, heartbeatMs: 60_000 });
    const [idle, joiner, late] = [sock(), sock(), sock()];
    reg.add(idle);
    reg.add(joiner);
    vi.advanceTimersByTime(400);
    reg.add(late);
    reg.joined(joiner);
    vi.advanceTimersByTime(599);
    expect(idle.expired).toBe(0);
    vi.advanceTimersByTime(1);
    expect([idle.expired, joiner.expired, late.expired]).toEqual([1, 0, 0]);
    vi.advanceTimersByTime(400);
    expect(late.expired).toBe(1);
    // The joiner left its last room: it has a fresh deadline from now.
    reg.awaitJoin(joiner);
    vi.advanceTimersByTime(999);
    expect(joiner.expired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(joiner.expired).toBe(1);
    expect(vi.getTimerCount()).toBe(1); // the heartbeat; no deadline timer is left waiting
    for (const s of [idle, joiner, late]) reg.remove(s);
    expect(vi.getTimerCount()).toBe(0);
  });
});
