import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { signalClientMessageSchema, type SignalRelayed } from '../../../protocol/src/signal-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { DirectLink } from '../bus/bus.js';
import type { Logger } from '../log.js';
import type { DirectPeer, DirectStore } from '../store/store.js';
import type { JoinResult, RelayResult, SignalPeer, SignalRooms, StrangerResult } from './hub.js';

/** What instances tell each other about /signal peers, parsed like any input (another instance is another process). */
const wireSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('join'), to: z.string(), from: z.string(), fromInstance: z.string() }),
  z.object({ kind: z.literal('paired'), to: z.string(), from: z.string(), fromInstance: z.string(), room: z.string(), expiresAt: z.number() }),
  z.object({ kind: z.literal('leave'), to: z.string(), from: z.string() }),
  z.object({ kind: z.literal('msg'), to: z.string(), from: z.string(), msg: z.unknown() }),
]);
type Wire = z.infer<typeof wireSchema>;

interface Local {
  id: string;
  peer: SignalPeer;
  room?: string;
  other?: DirectPeer;
  /** When queued as a stranger: the entry's expiry (to take it out again). */
  waitingUntil?: number;
  timer?: NodeJS.Timeout;
}

const newId = () => randomBytes(16).toString('base64url');

/**
 * /signal across instances: direct rooms and the strangers' queue live in
 * the store (with SIGNAL_TTL_SECONDS as their life), and what one peer sends
 * reaches the other through the instance channel of whichever instance holds
 * its socket. Two peers meet whatever instances the load balancer gave them.
 */
export class DirectHub implements SignalRooms {
  private readonly byPeer = new Map<SignalPeer, Local>();
  private readonly byId = new Map<string, Local>();

  constructor(
    private readonly store: DirectStore,
    private readonly link: DirectLink,
    private readonly opts: { ttlMs: number; now: () => number; maxWaiting: number; log: Logger },
  ) {
    link.onMessage((text) => this.receive(text));
  }

  private me(local: Local): DirectPeer {
    return { id: local.id, instance: this.link.instanceId };
  }

  private send(to: DirectPeer, w: Wire): void {
    this.link.publish(to.instance, JSON.stringify(w));
  }

  busy(peer: SignalPeer): boolean {
    return this.byPeer.has(peer);
  }

  private track(peer: SignalPeer): Local {
    const local: Local = { id: newId(), peer };
    this.byPeer.set(peer, local);
    this.byId.set(local.id, local);
    return local;
  }

  private forget(local: Local): void {
    clearTimeout(local.timer);
    this.byPeer.delete(local.peer);
    this.byId.delete(local.id);
  }

  private enterRoom(local: Local, room: string, expiresAt: number, other: DirectPeer | undefined): void {
    local.room = room;
    local.other = other;
    delete local.waitingUntil;
    clearTimeout(local.timer);
    local.timer = setTimeout(() => {
      this.forget(local);
      local.peer.fail(ErrorCode.RoomNotFound, 'This direct session ran out of time on the relay. Open the link again to meet anew.', CloseCode.RoomGone);
    }, Math.max(0, expiresAt - this.opts.now()));
    local.timer.unref();
    local.peer.send({ v: PROTOCOL_VERSION, type: 'joined', room, peer: !!other, expiresAt });
  }

  async join(id: string, peer: SignalPeer): Promise<JoinResult> {
    if (this.busy(peer)) return 'again';
    const local = this.track(peer);
    try {
      const r = await this.store.join(id, this.me(local), this.opts.now(), this.opts.ttlMs);
      if (r.result === 'full') {
        this.forget(local);
        return 'full';
      }
      this.enterRoom(local, id, r.expiresAt, r.other);
      if (r.other) this.send(r.other, { kind: 'join', to: r.other.id, from: local.id, fromInstance: this.link.instanceId });
      return 'ok';
    } catch (err) {
      this.forget(local);
      throw err;
    }
  }

  async stranger(peer: SignalPeer): Promise<StrangerResult> {
    if (this.busy(peer)) return 'again';
    const local = this.track(peer);
    const now = this.opts.now();
    const expiresAt = now + this.opts.ttlMs;
    try {
      const r = await this.store.stranger(this.me(local), expiresAt, now, this.opts.maxWaiting);
      if (r.result !== 'paired') {
        if (r.result === 'busy') {
          this.forget(local);
          return 'busy';
        }
        local.waitingUntil = expiresAt;
        local.timer = setTimeout(() => {
          this.forget(local);
          void this.store.unqueue(this.me(local), expiresAt).catch(() => undefined);
          peer.fail(ErrorCode.RoomNotFound, 'No stranger turned up in time. Try again.', CloseCode.RoomGone);
        }, this.opts.ttlMs);
        local.timer.unref();
        peer.send({ v: PROTOCOL_VERSION, type: 'waiting', expiresAt });
        return 'waiting';
      }
      const room = newId();
      await this.store.pair(room, r.mate, this.me(local), expiresAt);
      this.enterRoom(local, room, expiresAt, r.mate);
      this.send(r.mate, { kind: 'paired', to: r.mate.id, from: local.id, fromInstance: this.link.instanceId, room, expiresAt });
      return 'paired';
    } catch (err) {
      this.forget(local);
      throw err;
    }
  }

  relay(peer: SignalPeer, msg: SignalRelayed): RelayResult {
    const local = this.byPeer.get(peer);
    if (!local?.room) return 'not-joined';
    if (!local.other) return 'no-peer';
    this.send(local.other, { kind: 'msg', to: local.other.id, from: local.id, msg });
    return 'ok';
  }

  leave(peer: SignalPeer): void {
    const local = this.byPeer.get(peer);
    if (!local) return;
    this.forget(local);
    if (local.waitingUntil !== undefined) void this.store.unqueue(this.me(local), local.waitingUntil).catch(() => undefined);
    if (local.room) {
      void this.store.leave(local.room, local.id).catch(() => undefined);
      if (local.other) this.send(local.other, { kind: 'leave', to: local.other.id, from: local.id });
    }
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const parsed = wireSchema.safeParse(json);
    if (!parsed.success) return this.opts.log.warn('signal bus message unreadable', {});
    const w = parsed.data;
    const local = this.byId.get(w.to);
    if (!local) {
      // The peer is gone (it left while the news travelled): tell the sender so its peer is not left waiting.
      if (w.kind === 'join' || w.kind === 'paired') this.send({ id: w.from, instance: w.fromInstance }, { kind: 'leave', to: w.from, from: w.to });
      return;
    }
    switch (w.kind) {
      case 'join':
        local.other = { id: w.from, instance: w.fromInstance };
        local.peer.send({ v: PROTOCOL_VERSION, type: 'peer', event: 'join' });
        return;
      case 'paired':
        if (local.waitingUntil === undefined) return;
        this.enterRoom(local, w.room, w.expiresAt, { id: w.from, instance: w.fromInstance });
        return;
      case 'leave':
        if (local.other?.id !== w.from) return;
        delete local.other;
        local.peer.send({ v: PROTOCOL_VERSION, type: 'peer', event: 'leave' });
        return;
      case 'msg': {
        if (local.other?.id !== w.from) return;
        // Re-parsed with the client schema: only a relayable message of the documented shape reaches the peer.
        const m = signalClientMessageSchema.safeParse(w.msg);
        if (m.success && (m.data.type === 'key' || m.data.type === 'confirm' || m.data.type === 'rtc' || m.data.type === 'data')) local.peer.send(m.data);
        return;
      }
      default: {
        const never: never = w;
        return never;
      }
    }
  }

  get size(): { rooms: number; peers: number; waiting: number } {
    const all = [...this.byPeer.values()];
    return { rooms: new Set(all.flatMap((l) => (l.room ? [l.room] : []))).size, peers: all.filter((l) => l.room).length, waiting: all.filter((l) => l.waitingUntil !== undefined).length };
  }
}
