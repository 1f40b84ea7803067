import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { PUBLIC_ROOMS_LIST_MAX, ROOM_DEFAULT_CAPACITY, ROOM_DEFAULT_TTL_SECONDS, ROOM_EMPTY_GRACE_SECONDS } from '../../../protocol/src/limits.js';
import type { InviteClaims } from '../tokens.js';
import { roomIdSchema } from '../../../protocol/src/messages/common.js';
import {
  createRoomRequestSchema,
  joinTokenRequestSchema,
  type CreateRoomResponse,
  type InviteTicketResponse,
  type JoinTokenResponse,
  type PublicRoomsResponse,
} from '../../../protocol/src/messages/rooms-api.js';
import type { Deps } from '../deps.js';
import { RelayError } from '../errors.js';
import { limitGhost, requireGhost, type GhostEnv } from '../ghosts/auth.js';
import type { RoomRecord } from '../store/store.js';
import { parseJson } from './parse.js';

/** A fixed hash to compare against when the room is missing, so both failures cost the same. */
const DUMMY_HASH = createHash('sha256').update('ghostwire/no-such-room').digest();

const noSuchRoom = () =>
  new RelayError(404, ErrorCode.RoomNotFound, 'This room does not exist, has expired, or the link is wrong. Ask for a new invite link.');

const ticketClaimKey = (t: InviteClaims) => `invite:${t.r}:${t.n}`;
/** Held until the ticket has expired anyway (a second past, for clock rounding). */
const ticketClaimTtlMs = (t: InviteClaims, now: number) => Math.max(1000, t.x * 1000 - now + 1000);

export function roomRoutes(deps: Deps): Hono<GhostEnv> {
  const r = new Hono<GhostEnv>();
  const ghost = requireGhost(deps);

  r.get('/', async (c) => {
    const rooms = await deps.store.listPublicRooms(deps.now(), PUBLIC_ROOMS_LIST_MAX);
    const res: PublicRoomsResponse = {
      rooms: rooms.map((p) => ({
        roomId: p.room.id,
        ...(p.room.meta ? { meta: p.room.meta } : {}),
        participants: p.participants,
        capacity: p.room.capacity,
        heat: Math.round(p.heat * 1000) / 1000,
        expiresAt: p.room.expiresAt,
      })),
    };
    return c.json(res);
  });

  r.post('/', ghost, async (c) => {
    const body = await parseJson(c, createRoomRequestSchema);
    const capacity = body.capacity ?? Math.min(ROOM_DEFAULT_CAPACITY, deps.config.roomMaxCapacity);
    if (capacity > deps.config.roomMaxCapacity) {
      throw new RelayError(400, ErrorCode.BadRequest, `This relay takes rooms of at most ${deps.config.roomMaxCapacity} members. Ask for fewer.`);
    }
    await limitGhost(deps, c.var.ghost.id, 'rooms');
    if (body.pow) await deps.pow.spend(body.pow);
    else if (await deps.pow.underLoad()) {
      throw new RelayError(429, ErrorCode.PowRequired, 'The relay is busy: creating a room needs a proof of work right now. Solve one from /api/pow and send it with the request.');
    }
    const now = deps.now();
    const ttl = body.ttlSeconds ?? ROOM_DEFAULT_TTL_SECONDS;
    const room: RoomRecord = {
      id: body.roomId,
      accessKeyHash: body.accessKeyHash,
      capacity,
      createdAt: now,
      expiresAt: now + ttl * 1000,
      backlog: body.backlog ?? 0,
      ...(body.backlogTtlSeconds === undefined ? {} : { backlogTtlMs: body.backlogTtlSeconds * 1000 }),
      public: body.public ?? false,
      invites: body.invites ?? false,
      ...(body.meta ? { meta: body.meta } : {}),
    };
    if (!(await deps.store.createRoom(room, now, ROOM_EMPTY_GRACE_SECONDS * 1000))) {
      throw new RelayError(409, ErrorCode.RoomExists, 'A room with this id already exists. Create a new room.');
    }
    deps.metrics.roomsCreated++;
    await Promise.all([deps.store.count('room', now), deps.store.count('create', now)]);
    const res: CreateRoomResponse = { roomId: room.id, capacity: room.capacity, expiresAt: room.expiresAt, backlog: room.backlog ?? 0 };
    if (room.invites) res.ticket = deps.tokens.mintInvite(room.id, await deps.store.epoch()).ticket;
    return c.json(res, 201);
  });

  r.post('/:id/join-tokens', ghost, async (c) => {
    const id = roomIdSchema.safeParse(c.req.param('id'));
    const body = await parseJson(c, joinTokenRequestSchema);
    await limitGhost(deps, c.var.ghost.id, 'joinTokens');
    const room = id.success ? await deps.store.getRoom(id.data) : null;
    const given = createHash('sha256').update(Buffer.from(body.accessKey, 'base64url')).digest();
    const stored = room ? Buffer.from(room.accessKeyHash, 'base64url') : DUMMY_HASH;
    const match = stored.length === given.length && timingSafeEqual(stored, given);
    // One answer for "no such room" and "wrong key": a prober learns nothing about which ids exist.
    if (!room || !match) throw noSuchRoom();
    const epoch = await deps.store.epoch();
    if (room.invites && !(await deps.store.mayRejoin(room.id, c.var.ghost.id, deps.now()))) {
      const claims = body.ticket ? deps.tokens.verifyInvite(body.ticket, room.id, epoch) : null;
      // A ticket lets one ghost in once: a second use (a photo of the QR) is refused like an expired one.
      if (!claims || !(await deps.store.claimOnce(ticketClaimKey(claims), ticketClaimTtlMs(claims, deps.now())))) {
        throw new RelayError(403, ErrorCode.InviteRequired, 'This room needs a fresh invite: ask a member to show you the current QR code, then scan it.');
      }
      // Admitted: if this ghost's first socket fails, its retries must not need the ticket it has spent.
      await deps.store.grantRejoin(room.id, c.var.ghost.id, deps.now());
    }
    const res: JoinTokenResponse = { ...deps.tokens.mint(room.id, c.var.ghost.id, epoch), ...(room.meta ? { meta: room.meta } : {}) };
    return c.json(res, 201);
  });

  r.post('/:id/invites', ghost, async (c) => {
    const id = roomIdSchema.safeParse(c.req.param('id'));
    await limitGhost(deps, c.var.ghost.id, 'invites');
    // Only a current member may let someone in; others learn nothing about the room.
    if (!id.success || !(await deps.store.isMember(id.data, c.var.ghost.id))) throw noSuchRoom();
    const res: InviteTicketResponse = deps.tokens.mintInvite(id.data, await deps.store.epoch());
    return c.json(res, 201);
  });

  return r;
}
