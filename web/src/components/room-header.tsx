import type { RoomSession } from '../models/room.js';
import { ConnectionBadge } from './connection-badge.js';
import { Countdown } from './countdown.js';
import { SelfDestructButton } from './self-destruct-button.js';

/** Connection state, who is here, time left, the safety code, and the way out. */
export function RoomHeader({ room, onLeave }: { room: RoomSession; onLeave(): void }) {
  const others = room.members.value.length;
  return (
    <header class="p-3 border-b border-line flex flex-wrap items-center gap-x-3 gap-y-1">
      <h1 class="text-lg m-0 break-words" data-testid="room-name">
        <bdi>{room.name.value ?? 'Room'}</bdi>
      </h1>
      {room.isPublic.value && (
        <span class="text-sm text-warn" data-testid="public-badge" title="Listed in the lobby with its key: anyone, the relay included, can read this room.">
          Public · not private
        </span>
      )}
      <ConnectionBadge state={room.connection.value} />
      <span class="text-sm text-mute" aria-label="Participants" data-testid="participants">
        {others + 1} here
      </span>
      {room.self.value && (
        <span class="text-sm" data-testid="self-handle" style={{ color: room.self.value.colour }} title="Derived from your signing key, made for this session">
          You are {room.self.value.handle}
        </span>
      )}
      {room.expiresAt.value && <Countdown until={room.expiresAt.value} label="Room self-destructs in" />}
      {room.safetyCode.value && (
        <span class="text-sm font-mono" title="Compare this code with the others in the room: a different code means a different (tampered) link." data-testid="safety-code">
          Safety code {room.safetyCode.value}
        </span>
      )}
      <span class="ml-auto flex flex-wrap gap-2">
        <button class="btn-quiet" onClick={onLeave}>
          Leave
        </button>
        <SelfDestructButton />
      </span>
    </header>
  );
}
