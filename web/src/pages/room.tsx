import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { Composer } from '../components/composer.js';
import { ConnectionBadge } from '../components/connection-badge.js';
import { MessageItem } from '../components/message-item.js';
import { RoomSession } from '../models/room.js';
import { navigate } from '../router.js';
import { currentRoom, pendingSecret } from '../state.js';

/** A room: invite link, members, messages and the composer. */
export function Room() {
  const error = useSignal<string | null>(null);
  const listEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const secret = pendingSecret.value;
    if (!secret) return;
    pendingSecret.value = null;
    currentRoom.value?.wipe();
    RoomSession.join(secret, { origin: location.origin, WebSocket })
      .then((s) => (currentRoom.value = s))
      .catch((err: Error) => (error.value = err.message));
  }, []);

  const room = currentRoom.value;
  useSignalEffect(() => {
    void room?.messages.value.length;
    listEnd.current?.scrollIntoView({ block: 'end' });
  });

  if (error.value) {
    return (
      <main class="max-w-xl mx-auto p-6">
        <p role="alert">{error.value}</p>
        <button class="btn" onClick={() => navigate('/')}>Back to start</button>
      </main>
    );
  }
  if (!room) {
    return (
      <main class="max-w-xl mx-auto p-6 flex flex-col gap-3">
        <p class="m-0">No room is open in this tab. Open an invite link, or create a room.</p>
        <div>
          <button class="btn" onClick={() => navigate('/')}>Create a room</button>
        </div>
      </main>
    );
  }

  const leave = () => {
    room.leave();
    currentRoom.value = null;
    navigate('/');
  };
  const state = room.connection.value;
  const others = room.members.value.length;

  return (
    <main class="max-w-2xl mx-auto h-[100dvh] flex flex-col">
      <header class="p-3 border-b border-line flex flex-wrap items-center gap-3">
        <h1 class="text-lg m-0">Room</h1>
        <ConnectionBadge state={state} />
        <span class="text-sm text-mute" aria-label="Participants">
          {others + 1} here
        </span>
        {room.self.value && (
          <span class="text-sm" data-testid="self-handle" style={{ color: room.self.value.colour }} title="Derived from your signing key, made for this session">
            You are {room.self.value.handle}
          </span>
        )}
        <button class="btn-quiet ml-auto" onClick={leave}>Leave</button>
      </header>
      <section class="p-3 border-b border-line flex gap-2 items-center">
        <label class="text-sm text-mute" for="invite">Invite link</label>
        <input id="invite" class="field flex-1 text-sm" readOnly value={room.link} aria-label="Invite link" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <button class="btn-quiet" onClick={() => void navigator.clipboard?.writeText(room.link)}>Copy</button>
      </section>
      {room.notice.value && <p role="alert" class="m-0 p-3 text-warn">{room.notice.value}</p>}
      <ol class="flex-1 overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none" aria-label="Messages" aria-live="polite">
        {room.messages.value.map((m) => (
          <MessageItem key={m.id} m={m} onReveal={(id) => room.reveal(id)} onBurn={(id) => room.burn(id)} />
        ))}
        <div ref={listEnd} />
      </ol>
      <Composer room={room} open={state.phase === 'open'} />
    </main>
  );
}
