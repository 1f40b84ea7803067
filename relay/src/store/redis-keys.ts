/**
 * Key and channel names of the Redis store and bus. On a Redis Cluster a
 * Lua script may touch keys of one hash slot only, so every key carries a
 * hash tag (`{…}`) naming what it belongs to:
 *
 *   `{s<n>}r:<roomId>:*`   a room's record, members, seq, heat, backlog, rejoin graces and MLS epoch,
 *                          and bus channel `{s<n>}bus` of the rooms of shard n
 *   `{g:<ghostId>}*`       a ghost's record, its key index, its rate-limit buckets
 *   `{i:<instanceId>}*`    a relay instance's heartbeat and the rooms it holds members in
 *   `{idx}*`               the global indexes (live ghosts, rooms, public rooms, instances)
 *   `{cnt:<name>}<minute>` one counter's minute buckets (so one MGET reads an hour)
 *
 * Rooms are grouped into BUS_SHARDS shards by a hash of their id, the way
 * Centrifugo partitions its sharded pub/sub: an instance subscribes to at
 * most BUS_SHARDS channels however many rooms it serves, and a room's keys
 * share the slot of its shard's channel, so the script that numbers a frame
 * also appends it to the backlog and publishes it (SPUBLISH needs the
 * channel's slot to be the script's).
 */

/** Shard channels of room fanout. Changing it moves every room's keys: every instance must agree (restart them together). */
export const BUS_SHARDS = 256;

/** FNV-1a over the id's UTF-16 units: stable across processes and versions, no dependency. */
export function shardOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUS_SHARDS;
}

export interface RoomKeys {
  room: string;
  members: string;
  seq: string;
  heat: string;
  backlog: string;
  /** Hash ghostId → epoch ms its rejoin grace ends (ROOM_REJOIN_GRACE_SECONDS; rooms with invites only). */
  recent: string;
  /** The room's MLS epoch: how many commits it accepted (absent: 0). */
  epoch: string;
  /** The bus channel of the room's shard. */
  channel: string;
}

export interface GhostKeys {
  ghost: string;
  gkeys: string;
  /** A rate-limit bucket the ghost owns (its key index lists it; destroy deletes it). */
  bucket(name: string): string;
}

export interface InstanceKeys {
  alive: string;
  rooms: string;
  reap: string;
  /** Written by /ready's probe: proof that Redis accepts writes. */
  probe: string;
}

/** Every key of a room, in the order the room scripts that take them all expect (redis-room-scripts.ts). */
export const roomSlotKeys = (k: RoomKeys): string[] => [k.room, k.members, k.seq, k.heat, k.backlog, k.recent, k.epoch];

/** Names every key and channel under one prefix. */
export class KeyLayout {
  constructor(readonly prefix: string) {}

  shardChannel(shard: number): string {
    return `${this.prefix}{s${shard}}bus`;
  }

  /** Ghost destruction and other messages every instance hears (one channel, one slot). */
  get broadcastChannel(): string {
    return `${this.prefix}{bus}all`;
  }

  room(id: string): RoomKeys {
    const shard = shardOf(id);
    const base = `${this.prefix}{s${shard}}r:${id}:`;
    return { room: `${base}room`, members: `${base}members`, seq: `${base}seq`, heat: `${base}heat`, backlog: `${base}backlog`, recent: `${base}recent`, epoch: `${base}epoch`, channel: this.shardChannel(shard) };
  }

  ghost(id: string): GhostKeys {
    const base = `${this.prefix}{g:${id}}`;
    return { ghost: `${base}ghost`, gkeys: `${base}keys`, bucket: (name) => `${base}rl:${name}` };
  }

  instance(id: string): InstanceKeys {
    const base = `${this.prefix}{i:${id}}`;
    return { alive: `${base}alive`, rooms: `${base}rooms`, reap: `${base}reap`, probe: `${base}probe` };
  }

  index(name: 'ghosts' | 'rooms' | 'public' | 'instances'): string {
    return `${this.prefix}{idx}${name}`;
  }

  /** A bucket no ghost owns (per IP-free key such as PoW issuance). */
  bucket(name: string): string {
    return `${this.prefix}{rl:${name}}`;
  }

  claim(key: string): string {
    return `${this.prefix}claim:${key}`;
  }

  counter(name: string, minute: number): string {
    return `${this.prefix}{cnt:${name}}${minute}`;
  }

  /** A direct (/signal) room's peers. */
  directRoom(id: string): string {
    return `${this.prefix}{d:${id}}peers`;
  }

  /** The strangers' waiting queue of /signal (one list, one slot). */
  get strangerQueue(): string {
    return `${this.prefix}{sigq}`;
  }

  /** Where an instance hears /signal messages for its own peers (one channel per instance). */
  directChannel(instanceId: string): string {
    return `${this.prefix}{i:${instanceId}}sig`;
  }

  /** The cluster's epoch (a random id that is gone when the data is). */
  get epoch(): string {
    return `${this.prefix}epoch`;
  }
}
