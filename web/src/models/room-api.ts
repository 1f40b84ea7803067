import { toBase64url } from '../../../protocol/src/crypto/bytes.js';
import type { RoomKeys } from '../../../protocol/src/crypto/derive.js';
import { publicRoomMeta, sealRoomName } from '../../../protocol/src/crypto/room-meta.js';
import { ROOM_MAX_BACKLOG } from '../../../protocol/src/limits.js';
import { createRoomResponseSchema, inviteTicketResponseSchema, joinTokenResponseSchema, type InviteTicketResponse } from '../../../protocol/src/messages/rooms-api.js';
import { ApiError, postJson } from '../net/api.js';
import { solveRelayPow, type GhostSession } from './ghost.js';

/** What the creator chooses; the relay enforces capacity and lifetime. */
export interface RoomSettings {
  capacity?: number;
  ttlSeconds?: number;
  /** Shown to members; sealed under the content key unless the room is public. */
  name?: string;
  /** Keep the last ROOM_MAX_BACKLOG sealed frames for late joiners and reconnects. */
  backlog?: boolean;
  /** Listed in the lobby with its secret: not private. */
  public?: boolean;
  /** Joining needs a fresh ticket from the on-screen invite QR (INVITE_TICKET_TTL_SECONDS), so an old photo of it cannot join. */
  rotatingInvites?: boolean;
  /** An MLS room (forward secrecy, issue 19): a client choice the relay is never told; the link carries it. */
  mls?: boolean;
}

/** What the room's HTTP calls need: where the relay is, and as which ghost to call it. */
export interface RoomApiEnv {
  origin: string;
  fetch?: typeof fetch;
  /** This tab's ghost (created on first call, and anew after it was wiped or expired). */
  ghost: () => Promise<GhostSession>;
}

/** Runs an API call as the tab's ghost; if the relay no longer knows it (401), starts a new ghost once and retries. */
async function asGhost<T>(env: RoomApiEnv, call: (bearer: string) => Promise<T>): Promise<T> {
  const ghost = await env.ghost();
  try {
    return await call(ghost.bearer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    ghost.wipe();
    return call((await env.ghost()).bearer);
  }
}

/** A room the relay has registered: when it expires, and the name and visibility it was given. */
export interface CreatedRoom {
  expiresAt: number;
  name: string | null;
  isPublic: boolean;
  /** Joining needs a fresh invite ticket. */
  invites: boolean;
  /** With invites: the creator's own first ticket. */
  ticket?: string;
}

/** Registers a room on the relay (with a proof of work when the relay asks for one). */
export async function createRoom(env: RoomApiEnv, secret: Uint8Array<ArrayBuffer>, keys: RoomKeys, settings: RoomSettings): Promise<CreatedRoom> {
  const { name: given, backlog, public: isPublic, rotatingInvites, mls: _mls, ...limits } = settings;
  const name = given?.trim() || (isPublic ? 'Unnamed public room' : '');
  // A public room's meta carries its secret, or nobody could join it from the lobby.
  const meta = isPublic ? publicRoomMeta(secret, name) : name ? await sealRoomName(keys, name) : undefined;
  const body = {
    roomId: keys.roomId,
    accessKeyHash: keys.accessKeyHash,
    ...limits,
    ...(backlog ? { backlog: ROOM_MAX_BACKLOG } : {}),
    ...(isPublic ? { public: true } : {}),
    ...(rotatingInvites ? { invites: true } : {}),
    ...(meta ? { meta } : {}),
  };
  const created = await asGhost(env, async (bearer) => {
    const post = (extra = {}) => postJson(`${env.origin}/api/rooms`, { ...body, ...extra }, createRoomResponseSchema, env.fetch, bearer);
    try {
      return await post();
    } catch (err) {
      // Under load the relay asks for a proof of work before it registers a room.
      if (!(err instanceof ApiError) || err.code !== 'pow_required') throw err;
      return post({ pow: await solveRelayPow(env.origin, env.fetch) });
    }
  });
  return { expiresAt: created.expiresAt, name: name || null, isPublic: !!isPublic, invites: !!rotatingInvites, ...(created.ticket ? { ticket: created.ticket } : {}) };
}

/** A fresh single-use join token for the room (with an invite ticket, for a room that asks), and the room's meta (name) when it has one. */
export async function fetchJoinToken(env: RoomApiEnv, keys: RoomKeys, ticket?: string): Promise<{ token: string; meta?: string }> {
  const body = { accessKey: toBase64url(keys.accessKey), ...(ticket ? { ticket } : {}) };
  const res = await asGhost(env, (bearer) => postJson(`${env.origin}/api/rooms/${keys.roomId}/join-tokens`, body, joinTokenResponseSchema, env.fetch, bearer));
  return { token: res.token, ...(res.meta ? { meta: res.meta } : {}) };
}

/** A member mints a fresh invite ticket for a room with rotating invites. */
export function mintInviteTicket(env: RoomApiEnv, keys: RoomKeys): Promise<InviteTicketResponse> {
  return asGhost(env, (bearer) => postJson(`${env.origin}/api/rooms/${keys.roomId}/invites`, {}, inviteTicketResponseSchema, env.fetch, bearer));
}
