import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { ErrorCode } from '../../../protocol/src/codes.js';
import { ROOM_DEFAULT_CAPACITY, ROOM_DEFAULT_TTL_SECONDS } from '../../../protocol/src/limits.js';
import {
  createRoomRequestSchema,
  joinTokenRequestSchema,
  type CreateRoomResponse,
  type JoinTokenResponse,
} from '../../../protocol/src/messages/rooms-api.js';
import { roomIdSchema } from '../../../protocol/src/messages/common.js';
import { RelayError } from '../errors.js';
import type { Deps } from '../deps.js';
import { parseJson } from './parse.js';

/** A fixed hash to compare against when the room is missing, so both failures cost the same. */
const DUMMY_HASH = createHash('sha256').update('ghostwire/no-such-room').digest();

export function roomRoutes(deps: Deps): Hono {
  const r = new Hono();

  r.post('/', async (c) => {
    const body = await parseJson(c, createRoomRequestSchema);
    const now = deps.now();
    const ttl = body.ttlSeconds ?? ROOM_DEFAULT_TTL_SECONDS;
    const room = {
      id: body.roomId,
      accessKeyHash: body.accessKeyHash,
      capacity: body.capacity ?? ROOM_DEFAULT_CAPACITY,
      createdAt: now,
      expiresAt: now + ttl * 1000,
      backlog: body.backlog ?? 0,
      ...(body.backlogTtlSeconds === undefined ? {} : { backlogTtlMs: body.backlogTtlSeconds * 1000 }),
    };
    if (!(await deps.store.createRoom(room))) {
      throw new RelayError(409, ErrorCode.RoomExists, 'A room with this id already exists. Create a new room.');
    }
    deps.metrics.roomsCreated++;
    const res: CreateRoomResponse = { roomId: room.id, capacity: room.capacity, expiresAt: room.expiresAt, backlog: room.backlog };
    return c.json(res, 201);
  });

  r.post('/:id/join-tokens', async (c) => {
    const id = roomIdSchema.safeParse(c.req.param('id'));
    const body = await parseJson(c, joinTokenRequestSchema);
    const room = id.success ? await deps.store.getRoom(id.data) : null;
    const given = createHash('sha256').update(Buffer.from(body.accessKey, 'base64url')).digest();
    const stored = room ? Buffer.from(room.accessKeyHash, 'base64url') : DUMMY_HASH;
    const match = stored.length === given.length && timingSafeEqual(stored, given);
    if (!room || !match) {
      // One answer for "no such room" and "wrong key": a prober learns nothing about which ids exist.
      throw new RelayError(404, ErrorCode.RoomNotFound, 'This room does not exist, has expired, or the link is wrong. Ask for a new invite link.');
    }
    const minted = deps.tokens.mint(room.id, await deps.store.epoch());
    const res: JoinTokenResponse = minted;
    return c.json(res, 201);
  });

  return r;
}
