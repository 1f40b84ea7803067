import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { CLIENT_MESSAGE_TYPES, clientMessageSchema, type ClientMessage } from '../../../protocol/src/client-message.js';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { CLOSE_GRACE_MS, JOIN_TOKEN_TTL_SECONDS, MAX_WS_MESSAGE_BYTES } from '../../../protocol/src/limits.js';
import type { Join } from '../../../protocol/src/messages/join.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { Deps } from '../deps.js';
import type { BacklogEntry, RoomRecord } from '../store/store.js';
import type { Peer, RoomHub } from './hub.js';
import type { SocketRegistry, Tracked } from './registry.js';

export const encode = (msg: ServerMessage): Buffer => Buffer.from(JSON.stringify(msg));

/** The seq of a relay-encoded `frame` for `roomId`, or undefined for anything else. */
function frameSeq(buf: Buffer, roomId: string): number | undefined {
  const m = JSON.parse(buf.toString()) as { type?: string; room?: string; seq?: number };
  return m.type === 'frame' && m.room === roomId ? m.seq : undefined;
}

/** One client socket on /ws: the rooms it joined, the member id it holds in each, and its limits. */
export class Connection implements Peer, Tracked {
  readonly rooms = new Map<string, { member: string; room: RoomRecord }>();
  closed = false;
  alive = true;
  ghost: string | undefined;
  /** While a join replays the backlog, live frames wait here so the client sees them in seq order. */
  private holding = 0;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly deps: Deps,
    private readonly hub: RoomHub,
    private readonly registry: SocketRegistry,
  ) {}

  /** Queues bytes unless the socket is past the slow-consumer cap, in which case it is dropped. */
  private push(buf: Buffer): boolean {
    if (this.closed) return false;
    const limit = this.deps.config.ws.slowConsumerBytes;
    if (this.holding > 0) {
      this.held.push(buf);
      this.heldBytes += buf.length;
      if (this.heldBytes <= limit) return true;
    } else if (this.ws.bufferedAmount <= limit) {
      this.ws.send(buf, { binary: false });
      return true;
    }
    this.deps.metrics.protocolErrors++;
    this.ws.send(encode({ v: PROTOCOL_VERSION, type: 'error', code: ErrorCode.SlowConsumer, message: 'You were not reading fast enough; reconnect when your connection is better.' }));
    this.close(CloseCode.SlowConsumer, ErrorCode.SlowConsumer);
    return false;
  }

  /** Peer.send: the hub's fanout. False if this member was dropped instead. */
  send(frame: Buffer): boolean {
    return this.push(frame);
  }

  reply(msg: ServerMessage): void {
    this.push(encode(msg));
  }

  /** Starts the close handshake; a peer that does not finish it within CLOSE_GRACE_MS is cut off. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.held = [];
    this.ws.close(code, reason);
    const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    // Without this the timer would keep a closed socket (and its unsent buffers) alive for the whole grace.
    this.ws.once('close', () => clearTimeout(cut));
  }

  ping(): void {
    if (!this.closed) this.ws.ping();
  }

  timedOut(): void {
    if (this.closed) return;
    this.fail(ErrorCode.IdleTimeout, 'The connection went quiet; reconnect.', CloseCode.IdleTimeout);
  }

  /** Sends a typed error; with `closeCode`, then closes the socket with that named code. */
  fail(code: ErrorCode, message: string, closeCode?: CloseCode, ref?: number): void {
    this.deps.metrics.protocolErrors++;
    this.reply({ v: PROTOCOL_VERSION, type: 'error', code, message, ...(ref === undefined ? {} : { ref }) });
    if (closeCode !== undefined) this.close(closeCode, code);
  }

  async handle(raw: string): Promise<void> {
    // `ws` already refuses messages past maxPayload (close 1009); this guards a relay built without it.
    if (raw.length > MAX_WS_MESSAGE_BYTES) {
      return this.fail(ErrorCode.TooLarge, 'That message is larger than the protocol allows.', CloseCode.TooLarge);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.fail(ErrorCode.InvalidJson, 'Frames must be JSON text.', CloseCode.ProtocolError);
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      if (typeof type !== 'string' || !(CLIENT_MESSAGE_TYPES as readonly string[]).includes(type)) {
        return this.fail(ErrorCode.UnknownType, `Unknown message type; expected one of ${CLIENT_MESSAGE_TYPES.join(', ')}.`, CloseCode.ProtocolError);
      }
      const first = parsed.error.issues[0];
      return this.fail(ErrorCode.BadRequest, `Invalid ${type} message: ${first?.path.join('.') || 'message'}: ${first?.message ?? 'bad value'}.`, CloseCode.ProtocolError);
    }
    const msg: ClientMessage = parsed.data;
    switch (msg.type) {
      case 'join':
        return this.join(msg);
      case 'frame':
        return this.frame(msg.room, msg.ref, msg.data);
      case 'leave':
        return this.leave(msg.room);
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
      return this.fail(ErrorCode.Unauthorized, 'This join token is invalid, expired or already used. Open the invite link again.', CloseCode.Unauthorized);
    }
    if (this.rooms.has(claims.r)) return;
    // Tokens carry the ghost id `g` once ghosts exist (issue 3); read it defensively until then.
    const ghost = (claims as { g?: unknown }).g;
    if (typeof ghost === 'string' && !this.registry.claimGhost(this, ghost)) {
      return this.fail(ErrorCode.TooManySockets, 'You have too many connections open. Close another tab and try again.', CloseCode.TooManySockets);
    }
    const room = await store.getRoom(claims.r);
    const memberId = randomBytes(16).toString('base64url');
    const result = room ? await store.joinRoom(room.id, memberId) : 'gone';
    if (!room || result === 'gone') {
      return this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone);
    }
    if (result === 'full') {
      return this.fail(ErrorCode.RoomFull, 'This room is full. Try again later or ask for a new room.', CloseCode.RoomFull);
    }
    if (this.closed) {
      await store.leaveRoom(room.id, memberId);
      return;
    }
    const fresh = this.hub.memberIds(room.id).length === 0;
    this.rooms.set(room.id, { member: memberId, room });
    this.hub.add(room.id, memberId, this, room.expiresAt, () => {
      this.hub.closeRoom(room.id, CloseCode.RoomGone, 'room_expired');
      void store.deleteRoom(room.id);
    });
    let replay: BacklogEntry[] = [];
    if ((room.backlog ?? 0) > 0) {
      this.holding++;
      try {
        replay = await store.readBacklog(room.id, 0);
      } finally {
        this.holding--;
      }
      // A backlog outlives this instance's view of an emptied room: keep numbering after it.
      if (fresh) this.hub.ensureSeq(room.id, replay.at(-1)?.seq ?? 0);
    }
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.reply({
      v: PROTOCOL_VERSION,
      type: 'joined',
      room: room.id,
      member: memberId,
      members: this.hub.memberIds(room.id).filter((m) => m !== memberId),
      seq: this.hub.seq(room.id),
      expiresAt: room.expiresAt,
    });
    const after = msg.lastSeq ?? 0;
    let replayed = 0;
    for (const e of replay) {
      if (e.seq > after) this.push(Buffer.from(e.frame));
      replayed = Math.max(replayed, e.seq);
    }
    for (const buf of held) {
      const seq = replayed > 0 ? frameSeq(buf, room.id) : undefined;
      if (seq === undefined || seq > replayed) this.push(buf);
    }
    this.hub.broadcast(room.id, encode({ v: PROTOCOL_VERSION, type: 'presence', room: room.id, member: memberId, event: 'join' }), memberId);
  }

  private frame(roomId: string, ref: number, data: string): void {
    const joined = this.rooms.get(roomId);
    if (!joined) {
      return this.fail(ErrorCode.NotJoined, 'You have not joined that room.', undefined, ref);
    }
    const { member, room } = joined;
    const seq = this.hub.nextSeq(roomId);
    const encoded = encode({ v: PROTOCOL_VERSION, type: 'frame', room: roomId, seq, from: member, data });
    const delivered = this.hub.broadcast(roomId, encoded, member);
    const backlog = room.backlog ?? 0;
    if (backlog > 0) {
      const expiresAt = Math.min(room.expiresAt, this.deps.now() + (room.backlogTtlMs ?? Infinity));
      // Issued before any later join's read, so the store orders them (one connection, pipelined).
      this.deps.store.appendBacklog(roomId, { seq, expiresAt, frame: encoded.toString() }, backlog).catch((err: Error) => {
        this.deps.log.warn('backlog append failed', { err: err.name });
      });
    }
    this.deps.metrics.framesRelayed++;
    this.deps.metrics.deliveries += delivered;
    this.reply({ v: PROTOCOL_VERSION, type: 'sent', room: roomId, ref, seq, delivered });
  }

  private async leave(roomId: string): Promise<void> {
    const joined = this.rooms.get(roomId);
    if (!joined) return;
    this.rooms.delete(roomId);
    this.hub.remove(roomId, joined.member);
    this.hub.broadcast(roomId, encode({ v: PROTOCOL_VERSION, type: 'presence', room: roomId, member: joined.member, event: 'leave' }));
    await this.deps.store.leaveRoom(roomId, joined.member);
  }

  async leaveAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.rooms.keys()].map((r) => this.leave(r)));
  }
}
