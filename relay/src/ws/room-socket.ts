import { randomBytes } from 'node:crypto';
import type { WSEvents } from 'hono/ws';
import type { WebSocket } from 'ws';
import { CLIENT_MESSAGE_TYPES, clientMessageSchema, type ClientMessage } from '../../../protocol/src/client-message.js';
import { CloseCode, ErrorCode } from '../../../protocol/src/codes.js';
import { GHOST_SESSION_TTL_SECONDS, JOIN_TOKEN_TTL_SECONDS, MAX_WS_MESSAGE_BYTES, ROOM_EMPTY_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import type { ServerMessage } from '../../../protocol/src/server-message.js';
import { PROTOCOL_VERSION } from '../../../protocol/src/version.js';
import type { Deps } from '../deps.js';
import type { Peer, RoomHub } from './hub.js';

/** A member whose unsent bytes pass this is dropped so it cannot slow the room. */
export const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

const encode = (msg: ServerMessage): Buffer => Buffer.from(JSON.stringify(msg));
/** WS activity slides the ghost's session at most this often per socket. */
const TOUCH_EVERY_MS = 60_000;
const GRACE_MS = ROOM_EMPTY_GRACE_SECONDS * 1000;

/** One client socket on /ws: the rooms it joined and the member id it holds in each. */
class Connection implements Peer {
  readonly rooms = new Map<string, string>();
  /** The ghost each joined room's join token was minted for. */
  private readonly ghostOf = new Map<string, string>();
  private lastTouch = 0;
  closed = false;

  constructor(
    readonly ws: WebSocket,
    private readonly deps: Deps,
    private readonly hub: RoomHub,
  ) {}

  send(frame: Buffer): boolean {
    if (this.closed) return false;
    if (this.ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
      this.fail(ErrorCode.RateLimited, 'You are not reading fast enough; reconnect when your connection is better.', CloseCode.SlowConsumer);
      return false;
    }
    this.ws.send(frame, { binary: false });
    return true;
  }

  reply(msg: ServerMessage): void {
    if (!this.closed) this.ws.send(encode(msg), { binary: false });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
  }

  /** Sends a typed error; with `closeCode`, then closes the socket with that named code. */
  fail(code: ErrorCode, message: string, closeCode?: CloseCode, ref?: number): void {
    this.deps.metrics.protocolErrors++;
    this.reply({ v: PROTOCOL_VERSION, type: 'error', code, message, ...(ref === undefined ? {} : { ref }) });
    if (closeCode !== undefined) this.close(closeCode, code);
  }

  async handle(raw: string): Promise<void> {
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
        return this.join(msg.token);
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

  private async join(token: string): Promise<void> {
    const { store, tokens } = this.deps;
    const claims = tokens.verify(token, await store.epoch());
    if (!claims || !(await store.claimOnce(`jti:${claims.j}`, JOIN_TOKEN_TTL_SECONDS * 1000))) {
      return this.fail(ErrorCode.Unauthorized, 'This join token is invalid, expired or already used. Open the invite link again.', CloseCode.Unauthorized);
    }
    if (this.rooms.has(claims.r)) return;
    const memberId = randomBytes(16).toString('base64url');
    const now = this.deps.now();
    const joined = await store.joinRoom(claims.r, memberId, claims.g, now);
    switch (joined.result) {
      case 'gone':
        return this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone);
      case 'full':
        return this.fail(ErrorCode.RoomFull, 'This room is full. Try again later or ask for a new room.', CloseCode.RoomFull);
      case 'no-ghost':
        return this.fail(ErrorCode.Unauthorized, 'Your ghost session has ended. Reload the page to start a new ghost.', CloseCode.Unauthorized);
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
    this.rooms.set(room.id, memberId);
    this.ghostOf.set(room.id, claims.g);
    this.hub.bindGhost(claims.g, this);
    await this.hub.add(room.id, memberId, this, room.expiresAt, () => {
      this.hub.closeRoom(room.id, CloseCode.RoomGone, 'room_expired');
      void store.deleteRoom(room.id).catch(() => undefined);
    });
    this.touch(claims.g, true);
    this.reply({
      v: PROTOCOL_VERSION,
      type: 'joined',
      room: room.id,
      member: memberId,
      members: joined.members,
      seq: joined.seq,
      expiresAt: room.expiresAt,
    });
    this.hub.broadcast(room.id, encode({ v: PROTOCOL_VERSION, type: 'presence', room: room.id, member: memberId, event: 'join' }), memberId);
  }

  /** Socket activity keeps the ghost's session alive (sliding TTL), at most once a minute. */
  private touch(ghostId: string, force = false): void {
    const now = this.deps.now();
    if (!force && now - this.lastTouch < TOUCH_EVERY_MS) return;
    this.lastTouch = now;
    void this.deps.store.touchGhost(ghostId, now, GHOST_SESSION_TTL_SECONDS * 1000).catch(() => undefined);
  }

  private async frame(roomId: string, ref: number, data: string): Promise<void> {
    const memberId = this.rooms.get(roomId);
    if (!memberId) {
      return this.fail(ErrorCode.NotJoined, 'You have not joined that room.', undefined, ref);
    }
    // One sequence per room across every instance (the store numbers it).
    const { seq, members } = await this.deps.store.nextSeq(roomId, this.deps.now());
    if (seq === 0) return this.fail(ErrorCode.RoomNotFound, 'This room has expired or was destroyed.', CloseCode.RoomGone, ref);
    const local = this.hub.broadcast(roomId, encode({ v: PROTOCOL_VERSION, type: 'frame', room: roomId, seq, from: memberId, data }), memberId);
    // Members on other instances were handed the frame through the bus.
    const delivered = local + Math.max(0, members - this.hub.localCount(roomId));
    this.deps.metrics.framesRelayed++;
    this.deps.metrics.deliveries += delivered;
    this.reply({ v: PROTOCOL_VERSION, type: 'sent', room: roomId, ref, seq, delivered });
    const ghostId = this.ghostOf.get(roomId);
    if (ghostId) this.touch(ghostId);
  }

  private async leave(roomId: string): Promise<void> {
    const memberId = this.rooms.get(roomId);
    const ghostId = this.ghostOf.get(roomId);
    if (!memberId || !ghostId) return;
    this.rooms.delete(roomId);
    this.ghostOf.delete(roomId);
    if (![...this.ghostOf.values()].includes(ghostId)) this.hub.unbindGhost(ghostId, this);
    this.hub.remove(roomId, memberId);
    this.hub.broadcast(roomId, encode({ v: PROTOCOL_VERSION, type: 'presence', room: roomId, member: memberId, event: 'leave' }));
    await this.deps.store.leaveRoom(roomId, memberId, ghostId, this.deps.now(), GRACE_MS);
  }

  async leaveAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.rooms.keys()].map((r) => this.leave(r)));
  }
}

/** Builds the WebSocket event handlers for one /ws connection. */
export function roomSocket(deps: Deps, hub: RoomHub, originAllowed: boolean): WSEvents<WebSocket> {
  let conn: Connection | undefined;
  // Frames are handled one at a time per socket, in order, even though joins await the store.
  let queue: Promise<void> = Promise.resolve();
  return {
    onOpen(_evt, ws) {
      conn = new Connection(ws.raw as WebSocket, deps, hub);
      deps.metrics.connectionsOpen++;
      deps.metrics.connectionsTotal++;
      if (!originAllowed) {
        conn.fail(ErrorCode.ForbiddenOrigin, 'This page is not allowed to connect to this relay.', CloseCode.ForbiddenOrigin);
      }
    },
    onMessage(evt) {
      const c = conn;
      if (!c || c.closed) return;
      const data = typeof evt.data === 'string' ? evt.data : null;
      queue = queue.then(async () => {
        if (c.closed) return;
        if (data === null) return c.fail(ErrorCode.BadRequest, 'This protocol uses text frames only.', CloseCode.ProtocolError);
        try {
          await c.handle(data);
        } catch (err) {
          deps.log.error('ws handler failed', { err: (err as Error).name });
          c.fail(ErrorCode.Unavailable, 'The relay could not complete that; try again in a moment.', CloseCode.Unavailable);
        }
      });
    },
    onClose() {
      if (!conn) return;
      deps.metrics.connectionsOpen--;
      const c = conn;
      queue = queue.then(() => c.leaveAll()).catch(() => undefined);
    },
  };
}
