import { randomBytes } from 'node:crypto';
import type { ClientMessage } from '../../../protocol/src/client-message.js';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import {
  GHOST_SESSION_TTL_SECONDS,
  JOIN_TOKEN_TTL_SECONDS,
  ROOM_EMPTY_GRACE_SECONDS,
} from '../../../protocol/src/limits.js';
import type { ClientCommit } from '../../../protocol/src/messages/commit.js';
import type { Join } from '../../../protocol/src/messages/join.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { Deps } from '../deps.js';
import { commitParts, frameParts, sentAck } from '../store/frame-parts.js';
import type { BacklogEntry, FramePlan, SeqResult } from '../store/store.js';
import type { Peer, RoomHub } from './hub.js';
import { JoinedRooms } from './joined-rooms.js';
import type { ManagedSocket, RouteSocket } from './managed-socket.js';

export const encode = (msg: ServerMessage): Buffer => Buffer.from(JSON.stringify(msg));

/** WS activity slides the ghost's session at most this often per socket. */
const TOUCH_EVERY_MS = 60_000;
const GRACE_MS = ROOM_EMPTY_GRACE_SECONDS * 1000;

/** The seq of a relay-encoded `frame` or `commit` for `roomId` (both kept in the backlog), or undefined for anything else. */
function frameSeq(buf: Buffer, roomId: string): number | undefined {
  const m = JSON.parse(buf.toString()) as { type?: string; room?: string; seq?: number };
  return (m.type === 'frame' || m.type === 'commit') && m.room === roomId ? m.seq : undefined;
}

/** One room a socket joined: one flat object (not the room record, which the store copies per join). */
interface JoinedRoom {
  member: string;
  ghost: string;
  expiresAt: number;
  backlog: number;
  backlogTtlMs: number;
}

/** What /ws adds to a managed socket: the rooms it joined, the member id it holds in each, and the backlog replay. */
export class Connection implements Peer, RouteSocket<ClientMessage> {
  /** Joined rooms: this socket's member id in each, the ghost its join token was minted for, and the room's backlog rules. */
  readonly rooms = new JoinedRooms<JoinedRoom>();
  private lastTouch = 0;
  /** While a join replays the backlog, live frames wait here so the client sees them in seq order. */
  private holding = 0;
  /** Made when a frame must wait: most sockets never hold one. */
  private held: Buffer[] | undefined;
  private heldBytes = 0;

  constructor(
    private readonly sock: ManagedSocket,
    private readonly deps: Deps,
    private readonly hub: RoomHub,
  ) {}

  get closed(): boolean {
    return this.sock.closed;
  }

  /** Queues bytes; held frames count against the same slow-consumer cap as the socket's own buffer. */
  private push(buf: Buffer): boolean {
    if (this.sock.closed) return false;
    if (this.holding === 0) return this.sock.send(buf);
    (this.held ??= []).push(buf);
    this.heldBytes += buf.length;
    if (this.heldBytes <= this.deps.config.ws.slowConsumerBytes) return true;
    this.held = undefined;
    this.sock.cutSlow();
    return false;
  }

  /** Peer.send: the hub's fanout. False if this member was dropped instead. */
  send(frame: Buffer): boolean {
    return this.push(frame);
  }

  reply(msg: ServerMessage): void {
    this.push(encode(msg));
  }

  close(code: number, reason: string): void {
    this.held = undefined;
    this.sock.close(code, reason);
  }

  private fail(code: ErrorCode, message: string, closeCode?: CloseCode, ref?: number): void {
    this.sock.fail(code, message, closeCode, ref);
  }

  handle(msg: ClientMessage): void | Promise<void> {
    switch (msg.type) {
      case 'join':
        return this.join(msg);
      case 'frame':
        return this.frame(msg.room, msg.ref, msg.data);
      case 'leave':
        return this.leave(msg.room);
      case 'commit':
        return this.commit(msg);
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private async join(msg: Join): Promise<void> {
    const { store, tokens } = this.deps;
    const claims = tokens.verify(msg.token, await store.epoch());
    if (!claims || !(await store.claimOnce(`jti:${claims.j}`, JOIN_TOKEN_TTL_SECONDS * 1000))) {
      this.fail(ErrorCode.Unauthorized, 'This join token is invalid, expired or already used. Open the invite link again.', CloseCode.Unauthorized); return;
    }
    if (this.rooms.has(claims.r)) return;
    if (!this.sock.claimGhost(claims.g)) {
      this.fail(ErrorCode.TooManySockets, 'You have too many connections open. Close another tab and try again.', CloseCode.TooManySockets); return;
    }
    const memberId = randomBytes(16).toString('base64url');
    const now = this.deps.now();
    const joined = await store.joinRoom(claims.r, memberId, claims.g, now);
    switch (joined.result) {
      case 'gone':
        { this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone); return; }
      case 'full':
        { this.fail(ErrorCode.RoomFull, 'This room is full. Try again later or ask for a new room.', CloseCode.RoomFull); return; }
      case 'no-ghost':
        { this.fail(ErrorCode.Unauthorized, 'Your ghost session has ended. Reload the page to start a new ghost.', CloseCode.Unauthorized); return; }
      case 'ok':
        break;
      default: {
        const never: never = joined.result;
        return never;
      }
    }
    const room = joined.room!;
    if (this.closed) {
      await store.leaveRoom(room.id, memberId, claims.g, now, GRACE_MS);
      return;
    }
    this.rooms.set(room.id, { member: memberId, ghost: claims.g, expiresAt: room.expiresAt, backlog: room.backlog ?? 0, backlogTtlMs: room.backlogTtlMs ?? Infinity });
    this.sock.joined();
    this.hub.bindGhost(claims.g, this);
    // Held while the hub subscribes and the backlog is read, so live frames reach the client after the replay, in seq order.
    this.holding++;
    try {
      await this.hub.add(room.id, memberId, this, room.expiresAt, () => {
        this.hub.closeRoom(room.id, CloseCode.RoomGone, 'room_expired');
        store.deleteRoom(room.id).catch((err: unknown) => this.deps.log.warn('room delete at expiry failed', { err: (err as Error).name }));
      });
    } finally {
      this.holding--;
    }
    this.touch(claims.g, true);
    let replay: BacklogEntry[] = [];
    if ((room.backlog ?? 0) > 0) {
      this.holding++;
      try {
        replay = await store.readBacklog(room.id, 0);
      } finally {
        this.holding--;
      }
    }
    const held = this.held;
    this.held = undefined;
    this.heldBytes = 0;
    this.reply({
      v: PROTOCOL_VERSION,
      type: 'joined',
      room: room.id,
      member: memberId,
      members: joined.members,
      seq: joined.seq,
      expiresAt: room.expiresAt,
      epoch: joined.epoch,
    });
    const after = msg.lastSeq ?? 0;
    let replayed = 0;
    for (const e of replay) {
      if (e.seq > after) this.push(Buffer.from(e.frame));
      replayed = Math.max(replayed, e.seq);
    }
    for (const buf of held ?? []) {
      const seq = replayed > 0 ? frameSeq(buf, room.id) : undefined;
      if (seq === undefined || seq > replayed) this.push(buf);
    }
    this.hub.broadcast(room.id, encode({ v: PROTOCOL_VERSION, type: 'presence', room: room.id, member: memberId, event: 'join' }), memberId);
  }

  /** Socket activity keeps the ghost's session alive (sliding TTL), at most once a minute. */
  private touch(ghostId: string, force = false): void {
    const now = this.deps.now();
    if (!force && now - this.lastTouch < TOUCH_EVERY_MS) return;
    this.lastTouch = now;
    this.deps.store.touchGhost(ghostId, now, GHOST_SESSION_TTL_SECONDS * 1000).catch((err: unknown) => this.deps.log.warn('ghost touch failed', { err: (err as Error).name }));
  }

  private frame(roomId: string, ref: number, data: string): void | Promise<void> {
    const joined = this.rooms.get(roomId);
    if (!joined) {
      this.fail(ErrorCode.NotJoined, 'You have not joined that room.', undefined, ref); return;
    }
    const { member } = joined;
    // One sequence per room across every instance. The store numbers the frame, keeps it in the
    // backlog and publishes it to the other instances in one step (one Redis round trip on the
    // frame's path): the frame is split around its seq so the script can finish it byte for byte.
    const now = this.deps.now();
    const { head, tail } = frameParts(roomId, member, data);
    const plan = this.plan(roomId, joined, head, tail, now);
    const { store } = this.deps;
    // The embedded store numbers a frame without I/O: no promise, no microtask per frame.
    if (store.sendFrameNow) return this.numbered(roomId, joined, ref, head, tail, store.sendFrameNow(roomId, plan, now));
    return store.sendFrame(roomId, plan, now).then((r) => this.numbered(roomId, joined, ref, head, tail, r));
  }

  /** How the store numbers, keeps and publishes a message of `member` split into `head` + seq + `tail`. */
  private plan(roomId: string, joined: JoinedRoom, head: string, tail: string, now: number): FramePlan {
    return {
      head,
      tail,
      backlogMax: joined.backlog,
      backlogExpiresAt: Math.min(joined.expiresAt, now + joined.backlogTtlMs),
      busHeader: this.deps.bus.frameHeader(roomId, joined.member),
    };
  }

  /**
   * An MLS commit: the store accepts one per epoch (the check and the increment in one atomic step,
   * across instances) and numbers it in the room's one sequence with frames, so every member learns
   * the order from `seq`. A commit made in another epoch gets `stale_epoch` with the room's epoch; the
   * socket stays open (the committer re-bases on the commits it missed and retries).
   */
  private async commit(msg: ClientCommit): Promise<void> {
    const { room: roomId, ref, epoch } = msg;
    const joined = this.rooms.get(roomId);
    if (!joined) {
      this.fail(ErrorCode.NotJoined, 'You have not joined that room.', undefined, ref); return;
    }
    const { member } = joined;
    const now = this.deps.now();
    const { head, tail } = commitParts(roomId, member, epoch, msg.data, msg.welcome);
    const r = await this.deps.store.commit(roomId, epoch, this.plan(roomId, joined, head, tail, now), now);
    if (!r.ok) {
      if (r.gone) { this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone, ref); return; }
      this.reply({ v: PROTOCOL_VERSION, type: 'error', code: ErrorCode.StaleEpoch, message: 'Another change to the room came first. Catch up with it, then try again.', ref, epoch: r.epoch });
      return;
    }
    const local = this.hub.deliverLocal(roomId, Buffer.from(head + String(r.seq) + tail), member);
    const delivered = local + Math.max(0, r.members - this.hub.localCount(roomId));
    this.deps.metrics.deliveries += delivered;
    this.reply({ v: PROTOCOL_VERSION, type: 'committed', room: roomId, ref, seq: r.seq, epoch: r.epoch, delivered });
    this.touch(joined.ghost);
  }

  /** A frame the store numbered: fan it out here, count it, ack it. */
  private numbered(roomId: string, joined: { member: string; ghost: string }, ref: number, head: string, tail: string, { seq, members }: SeqResult): void {
    if (seq === 0) { this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone, ref); return; }
    // Byte for byte what encode() makes of the frame message (frame-parts.test.ts).
    const local = this.hub.deliverLocal(roomId, Buffer.from(head + String(seq) + tail), joined.member);
    // Members on other instances were handed the frame through the bus.
    const delivered = local + Math.max(0, members - this.hub.localCount(roomId));
    this.deps.metrics.framesRelayed++;
    this.deps.metrics.deliveries += delivered;
    this.push(Buffer.from(sentAck(roomId, ref, seq, delivered)));
    this.touch(joined.ghost);
  }

  private async leave(roomId: string): Promise<void> {
    const joined = this.rooms.get(roomId);
    if (!joined) return;
    this.rooms.delete(roomId);
    if (this.rooms.size === 0) this.sock.awaitJoin();
    if (![...this.rooms.values()].some((r) => r.ghost === joined.ghost)) this.hub.unbindGhost(joined.ghost, this);
    this.hub.remove(roomId, joined.member);
    this.hub.broadcast(roomId, encode({ v: PROTOCOL_VERSION, type: 'presence', room: roomId, member: joined.member, event: 'leave' }));
    await this.deps.store.leaveRoom(roomId, joined.member, joined.ghost, this.deps.now(), GRACE_MS);
  }

  /** The socket ended: leave every room, so the others hear of it and the store's counts stay right. */
  async ended(): Promise<void> {
    this.held = undefined;
    await Promise.all([...this.rooms.keys()].map((r) => this.leave(r)));
  }
}
