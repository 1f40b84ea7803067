import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import type { SignalServerMessage } from '../../../protocol/src/signal-message.js';
import { SignalHub, type SignalPeer } from './hub.js';

class FakePeer implements SignalPeer {
  got: SignalServerMessage[] = [];
  failed: { code: ErrorCode; closeCode: CloseCode } | null = null;
  constructor(private readonly hub: () => SignalHub) {}
  send(msg: SignalServerMessage): boolean {
    this.got.push(msg);
    return true;
  }
  fail(code: ErrorCode, _message: string, closeCode: CloseCode): void {
    this.failed = { code, closeCode };
    this.hub().leave(this);
  }
  types(): string[] {
    return this.got.map((m) => (m.type === 'peer' ? `peer:${m.event}` : m.type));
  }
}

describe('SignalHub', () => {
  afterEach(() => vi.useRealTimers());

  it('holds two peers per direct room, refuses a third, and tells the other when one leaves', () => {
    const hub = new SignalHub({ ttlMs: 60_000 });
    const mk = () => new FakePeer(() => hub);
    const [a, b, c] = [mk(), mk(), mk()];
    expect(hub.join('room-A', a)).toBe('ok');
    expect(hub.join('room-A', b)).toBe('ok');
    expect(hub.join('room-A', c)).toBe('full');
    expect(a.got[0]).toMatchObject({ type: 'joined', peer: false });
    expect(b.got[0]).toMatchObject({ type: 'joined', peer: true });
    expect(a.types()).toEqual(['joined', 'peer:join']);
    expect(hub.other(a)).toBe(b);
    hub.leave(b);
    expect(a.types()).toEqual(['joined', 'peer:join', 'peer:leave']);
    expect(hub.join('room-A', c)).toBe('ok');
    expect(hub.join('room-B', c)).toBe('again');
    hub.leave(a);
    hub.leave(c);
    expect(hub.size).toEqual({ rooms: 0, peers: 0, waiting: 0 });
  });

  it('forgets a room and closes its sockets with RoomGone when the TTL ends', () => {
    vi.useFakeTimers();
    const hub = new SignalHub({ ttlMs: 5_000 });
    const a = new FakePeer(() => hub);
    hub.join('room-A', a);
    vi.advanceTimersByTime(4_999);
    expect(a.failed).toBeNull();
    vi.advanceTimersByTime(1);
    expect(a.failed).toEqual({ code: 'room_not_found', closeCode: 4404 });
    expect(hub.size).toEqual({ rooms: 0, peers: 0, waiting: 0 });
  });

  it('pairs two waiting strangers into a fresh room, and ends a lonely wait at the TTL', () => {
    vi.useFakeTimers();
    const hub = new SignalHub({ ttlMs: 5_000, pick: () => 0 });
    const mk = () => new FakePeer(() => hub);
    const [a, b, c] = [mk(), mk(), mk()];
    expect(hub.stranger(a)).toBe('waiting');
    expect(hub.stranger(b)).toBe('paired');
    expect(a.types()).toEqual(['waiting', 'joined']);
    expect(b.got[0]).toMatchObject({ type: 'joined', peer: true });
    expect(a.got[1]).toEqual(b.got[0]);
    expect(hub.other(b)).toBe(a);
    expect(hub.stranger(c)).toBe('waiting');
    vi.advanceTimersByTime(5_000);
    expect(c.failed?.closeCode).toBe(4404);
    expect(a.failed?.closeCode).toBe(4404);
    expect(hub.size).toEqual({ rooms: 0, peers: 0, waiting: 0 });
  });

  it('caps the number of waiting strangers', () => {
    const hub = new SignalHub({ ttlMs: 5_000, maxWaiting: 0 });
    expect(hub.stranger(new FakePeer(() => hub))).toBe('busy');
  });
});
