import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { Composer } from '../components/composer.js';
import { MessageList } from '../components/message-list.js';
import { RoomHeader } from '../components/room-header.js';
import { RoomsSidebar } from '../components/rooms-sidebar.js';
import { SharePanel } from '../components/share-panel.js';
import { ensureGhost } from '../models/ghost.js';
import { RoomSession } from '../models/room.js';
import { navigate } from '../router.js';
import { closeRoom, currentRoom, openRoom, pendingSecret } from '../state.js';

/** A room: header, invite, messages and the composer, with the other open rooms beside it. */
export function Room() {
  const error = useSignal<string | null>(null);

  useEffect(() => {
    const secret = pendingSecret.value;
    if (!secret) return;
    pendingSecret.value = null;
    RoomSession.join(secret, { origin: location.origin, WebSocket, ghost: () => ensureGhost(location.origin) })
      .then(openRoom)
      .catch((err: unknown) => (error.value = (err as Error).message));
  }, []);

  const room = currentRoom.value;
  if (error.value) {
    return (
      <main class="max-w-xl mx-auto p-6 flex flex-col gap-3">
        <p role="alert" class="m-0">
          {error.value}
        </p>
        <div>
          <button class="btn" onClick={() => navigate('/')}>
            Back to start
          </button>
        </div>
      </main>
    );
  }
  if (!room) {
    return (
      <main class="max-w-xl mx-auto p-6 flex flex-col gap-3">
        <p class="m-0">No room is open in this tab. Open an invite link, or create a room.</p>
        <div>
          <button class="btn" onClick={() => navigate('/')}>
            Create a room
          </button>
        </div>
      </main>
    );
  }

  const leave = () => {
    closeRoom(room);
    if (!currentRoom.value) navigate('/');
  };

  return (
    <div class="flex h-[100dvh]">
      <RoomsSidebar />
      <main class="flex-1 min-w-0 max-w-3xl mx-auto flex flex-col">
        <RoomHeader room={room} onLeave={leave} />
        <SharePanel link={room.link} />
        {room.notice.value && (
          <p role="alert" class="m-0 p-3 text-warn">
            {room.notice.value}
          </p>
        )}
        {room.forgeries.value > 0 && (
          <p role="alert" class="m-0 p-3 text-bad" data-testid="forgery-warning">
            {room.forgeries.value} message(s) failed their signature check and were not shown: someone in this room is trying to pass as another member.
          </p>
        )}
        <MessageList room={room} />
        <Composer room={room} open={room.connection.value.phase === 'open'} />
      </main>
    </div>
  );
}
