import { Lobby } from './lobby.js';
import { navigate } from '../router.js';
import { currentRoomId, rooms, unreadCount } from '../state.js';

/**
 * The rooms open in this tab, with unread counts; switching keeps every
 * connection alive. A sidebar from `md` up; on phones the same list opens as
 * a drawer from the header's rooms button.
 */
export function RoomsSidebar({ drawer = false, onClose }: { drawer?: boolean; onClose?: () => void }) {
  const pick = (id: string) => {
    currentRoomId.value = id;
    onClose?.();
  };
  const nav = (
    <nav
      aria-label="Your rooms"
      class={drawer ? 'drawer fixed inset-y-0 left-0 z-20 w-72 max-w-[85vw] flex flex-col gap-1 p-3 pt-safe overflow-y-auto' : 'hidden md:flex flex-col gap-1 w-56 p-3 border-r border-line overflow-y-auto'}
    >
      <div class="flex items-center">
        <h2 class="text-sm text-mute m-0 mb-1 flex-1">Your rooms</h2>
        {drawer && (
          <button type="button" class="btn-quiet text-sm" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {rooms.value.map((r, i) => {
        const unread = r.roomId === currentRoomId.value ? 0 : unreadCount(r);
        const gone = r.connection.value.phase === 'closed';
        return (
          <button
            key={r.roomId}
            type="button"
            class={`btn-quiet text-left text-sm flex items-center gap-2 ${r.roomId === currentRoomId.value ? 'bg-panel' : ''}`}
            aria-current={r.roomId === currentRoomId.value ? 'page' : undefined}
            onClick={() => pick(r.roomId)}
            data-testid="room-entry"
          >
            <span class="flex-1 min-w-0 truncate">
              {r.name.value ?? `Room ${i + 1}`} · {gone ? 'gone' : `${r.members.value.length + 1} here`}
            </span>
            {unread > 0 && (
              <span class="badge" aria-label={`${unread} unread`} data-testid="unread">
                {unread}
              </span>
            )}
          </button>
        );
      })}
      <div class="mt-3">
        <Lobby compact />
      </div>
      <button type="button" class="btn-quiet text-sm mt-2" onClick={() => (onClose?.(), navigate('/?new'))}>
        + New room
      </button>
      <button type="button" class="btn-quiet text-sm" onClick={() => (onClose?.(), navigate('/privacy'))}>
        Privacy
      </button>
    </nav>
  );
  if (!drawer) return nav;
  return (
    <>
      <div class="fixed inset-0 z-10 bg-black/60" aria-hidden="true" onClick={onClose} />
      {nav}
    </>
  );
}
