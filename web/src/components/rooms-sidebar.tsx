import { Lobby } from './lobby.js';
import { navigate } from '../router.js';
import { currentRoomId, rooms } from '../state.js';

/** The rooms open in this tab; switching keeps every connection alive. */
export function RoomsSidebar() {
  return (
    <nav aria-label="Your rooms" class="hidden md:flex flex-col gap-1 w-52 p-3 border-r border-line">
      <h2 class="text-sm text-mute m-0 mb-1">Your rooms</h2>
      {rooms.value.map((r, i) => (
        <button
          key={r.roomId}
          class={`btn-quiet text-left text-sm ${r.roomId === currentRoomId.value ? 'bg-panel' : ''}`}
          aria-current={r.roomId === currentRoomId.value ? 'page' : undefined}
          onClick={() => (currentRoomId.value = r.roomId)}
        >
          <bdi>{r.name.value ?? `Room ${i + 1}`}</bdi> · {r.members.value.length + 1} here
          {r.isPublic.value && <span class="text-warn"> · not private</span>}
        </button>
      ))}
      <div class="mt-3">
        <Lobby compact />
      </div>
      <button class="btn-quiet text-sm mt-2" onClick={() => navigate('/')}>
        + New room
      </button>
      <button class="btn-quiet text-sm" onClick={() => navigate('/privacy')}>
        Privacy
      </button>
    </nav>
  );
}
