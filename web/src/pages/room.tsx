import { effect, useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { fromBase64url } from '../../../protocol/src/crypto/bytes.js';
import { ROOM_SECRET_BYTES } from '../../../protocol/src/limits.js';
import { Composer } from '../components/composer.js';
import { InvitePanel } from '../components/invite-panel.js';
import { MessageList } from '../components/message-list.js';
import { PeoplePanel } from '../components/people-panel.js';
import { RoomGone } from '../components/room-gone.js';
import { RoomHeader, type RoomPanel } from '../components/room-header.js';
import { RoomsSidebar } from '../components/rooms-sidebar.js';
import { parseRoomFragment } from '../fragment.js';
import { ensureGhost } from '../models/ghost.js';
import { RoomSession } from '../models/room.js';
import { roomStatus, type GoneReason } from '../models/room-status.js';
import { navigate } from '../router.js';
import { closeRoom, currentRoom, markRead, openRoom, pendingSecret, rooms, unreadCount } from '../state.js';
import { userMessage } from '../user-message.js';

/** A room secret is ROOM_SECRET_BYTES of base64url; anything else cannot open a room. */
function secretIsWhole(text: string): boolean {
  try {
    return fromBase64url(text).length === ROOM_SECRET_BYTES;
  } catch {
    return false;
  }
}

/** True when this page load was a reload (a room held in memory did not survive it). */
function wasReloaded(): boolean {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav?.type === 'reload';
}

/** A room: compact header, messages and the composer, with the other open rooms beside it (a drawer on phones). */
export function Room() {
  const gone = useSignal<GoneReason | null>(null);
  const error = useSignal<string | null>(null);
  const joining = useSignal(false);
  const drawer = useSignal(false);
  const panel = useSignal<RoomPanel>(null);

  // A secret arrives at load, from the paste field, a scan or a new link in this tab (hashchange): join it, whenever it comes.
  useEffect(
    () =>
      effect(() => {
        const text = pendingSecret.value;
        if (!text) return;
        pendingSecret.value = null;
        gone.value = null;
        error.value = null;
        const fragment = parseRoomFragment(text);
        if (!fragment || !secretIsWhole(fragment.secret)) {
          gone.value = 'damaged';
          return;
        }
        joining.value = true;
        RoomSession.join(fragment.secret, { origin: location.origin, WebSocket, ghost: () => ensureGhost(location.origin), ...(fragment.mls ? { mls: true } : {}) }, fragment.ticket)
          .then((s) => {
            const held = rooms.value.find((r) => r.roomId === s.roomId);
            // Already open in this tab: keep the one we have (and its name in that room), unless it can no
            // longer be used (an expired rotating invite, say): then the new invite takes its place.
            const open = held?.connection.value.phase === 'closed' ? undefined : held;
            if (held && !open) closeRoom(held);
            if (open) s.leave();
            openRoom(open ?? s);
            panel.value = null;
          })
          .catch((err: unknown) => (error.value = userMessage(err, 'This room could not be opened. Check your connection and open the link again.')))
          .finally(() => (joining.value = false));
      }),
    [],
  );

  const room = currentRoom.value;
  const since = useRef<{ state: unknown; at: number }>({ state: null, at: Date.now() });
  useEffect(() => {
    if (room) markRead(room);
  });

  if (gone.value) return <RoomGone reason={gone.value} onClose={() => (gone.value = null)} />;
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
    if (joining.value) return <p class="p-6 m-0" role="status">Opening the room…</p>;
    if (wasReloaded()) return <RoomGone reason="reloaded" />;
    return (
      <main class="max-w-xl mx-auto p-6 flex flex-col gap-3">
        <p class="m-0">No room is open in this tab. Open an invite link, paste one on the start page, or create a room.</p>
        <div class="flex flex-wrap gap-3">
          <button class="btn" onClick={() => navigate('/?new')}>
            Create a room
          </button>
          <button class="btn-quiet" onClick={() => navigate('/')}>
            Back to start
          </button>
        </div>
      </main>
    );
  }

  const conn = room.connection.value;
  if (since.current.state !== conn) since.current = { state: conn, at: Date.now() };
  const status = roomStatus(conn, { joinedOnce: room.me.value !== null, expiresAt: room.expiresAt.value, since: since.current.at, now: Date.now() });
  const close = () => {
    closeRoom(room);
    if (!currentRoom.value) navigate('/');
  };
  if (status.kind === 'gone') {
    return (
      <div class="flex h-[100dvh]">
        <RoomsSidebar />
        <RoomGone reason={status.reason} onClose={close} />
      </div>
    );
  }
  const unreadElsewhere = rooms.value.filter((r) => r !== room).reduce((n, r) => n + unreadCount(r), 0);
  const alone = room.members.value.length === 0;
  const showInvite = panel.value === 'invite' || (alone && panel.value === null);

  return (
    <div class="flex h-[100dvh]">
      <RoomsSidebar />
      {drawer.value && <RoomsSidebar drawer onClose={() => (drawer.value = false)} />}
      <main class="flex-1 min-w-0 max-w-3xl mx-auto flex flex-col">
        <RoomHeader
          room={room}
          status={status}
          unreadElsewhere={unreadElsewhere}
          panel={panel.value}
          onPanel={(p) => (panel.value = p)}
          onRooms={() => (drawer.value = true)}
          onLeave={close}
        />
        {showInvite && <InvitePanel room={room} {...(alone && panel.value === null ? {} : { onDone: () => (panel.value = null) })} />}
        {panel.value === 'people' && <PeoplePanel room={room} onDone={() => (panel.value = null)} />}
        {room.notice.value && (
          <p role="alert" class="m-0 px-3 py-2 text-sm text-warn">
            {room.notice.value}
          </p>
        )}
        {room.forgeries.value > 0 && (
          <p role="alert" class="m-0 px-3 py-2 text-sm text-bad" data-testid="forgery-warning">
            {room.forgeries.value} message(s) failed their signature check and were not shown: someone in this room is trying to pass as another member.
          </p>
        )}
        <MessageList room={room} />
        <Composer room={room} open={status.kind === 'connected'} />
      </main>
    </div>
  );
}
