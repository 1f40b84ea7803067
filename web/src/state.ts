import { signal } from '@preact/signals';
import type { RoomSession } from './models/room.js';

/** The room this tab is in, if any. Lives in memory only. */
export const currentRoom = signal<RoomSession | null>(null);

/** A room secret read from the fragment at load, waiting to be joined. */
export const pendingSecret = signal<string | null>(null);
