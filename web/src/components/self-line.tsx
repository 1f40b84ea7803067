import type { RoomSession } from '../models/room.js';

/**
 * Said once, where the conversation starts: the name the others see. It is
 * made from a key this room made for this tab, so it differs in every room
 * (nobody can link two rooms to one person) and stays the same across
 * reconnects and relay restarts while the room is open here.
 */
export function SelfLine({ room }: { room: RoomSession }) {
  const self = room.self.value;
  if (!self) return null;
  return (
    <p class="m-0 py-1 text-center text-xs text-mute">
      In this room you are <span aria-hidden="true" class="inline-block w-2 h-2 rounded-full" style={{ background: self.colour }} />{' '}
      <span data-testid="self-handle" class="text-ghost font-medium">
        {self.handle}
      </span>{' '}
      — a new name in every room.
    </p>
  );
}
