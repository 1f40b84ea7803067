import { computed, signal } from '@preact/signals';
import type { RoomSession } from './models/room.js';

/** Every room open in this tab, in the order they were opened. Memory only. */
export const rooms = signal<RoomSession[]>([]);

/** The room on screen. */
export const currentRoomId = signal<string | null>(null);

export const currentRoom = computed<RoomSession | null>(() => rooms.value.find((r) => r.roomId === currentRoomId.value) ?? null);

/** A room secret read from the fragment (or a scanned QR), waiting to be joined. */
export const pendingSecret = signal<string | null>(null);

/** Adds a room (or focuses it if already open) and shows it. */
export function openRoom(session: RoomSession): void {
  if (!rooms.value.some((r) => r.roomId === session.roomId)) rooms.value = [...rooms.value, session];
  currentRoomId.value = session.roomId;
}

/** Leaves a room: wipes what it holds and drops it from the list. */
export function closeRoom(session: RoomSession): void {
  session.leave();
  forgetRead(session.roomId);
  rooms.value = rooms.value.filter((r) => r !== session);
  if (currentRoomId.value === session.roomId) currentRoomId.value = rooms.value.at(-1)?.roomId ?? null;
}
/** A direct-link secret D read from the fragment of a /d link at load, waiting to be used. */
export const pendingDirectSecret = signal<string | null>(null);

/** Message ids each room's reader has had on screen (memory only), for unread counts. */
const readIds = new Map<string, Set<string>>();
const readTick = signal(0);

/** Messages from others in `room` that arrived while it was not on screen. */
export function unreadCount(room: RoomSession): number {
  void readTick.value;
  const read = readIds.get(room.roomId);
  return room.messages.value.filter((m) => !m.mine && m.kind !== 'notice' && !read?.has(m.id)).length;
}

/** Marks everything in `room` as seen (it is on screen). */
export function markRead(room: RoomSession): void {
  const ids = room.messages.value.filter((m) => !m.mine).map((m) => m.id);
  const read = readIds.get(room.roomId) ?? new Set<string>();
  if (ids.every((id) => read.has(id))) return;
  for (const id of ids) read.add(id);
  readIds.set(room.roomId, read);
  readTick.value++;
}

/** Forgets the read marks of a room that was closed (its ids are secret-derived). */
export function forgetRead(roomId: string): void {
  readIds.delete(roomId);
}

/** Forgets every room's read marks (self-destruct). */
export function forgetAllRead(): void {
  readIds.clear();
  readTick.value++;
}
