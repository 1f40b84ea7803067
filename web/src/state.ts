import { signal } from '@preact/signals';
import type { RoomSession } from './models/room.js';

/** The room this tab is in, if any. Lives in memory only. */
export const currentRoom = signal<RoomSession | null>(null);

/** A room secret read from the fragment at load, waiting to be joined. */
export const pendingSecret = signal<string | null>(null);

/** A direct-link secret D read from the fragment of a /d link at load, waiting to be used. */
export const pendingDirectSecret = signal<string | null>(null);
