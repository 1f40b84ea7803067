import { useSignal, useSignalEffect } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ConnectionBadge } from '../components/connection-badge.js';
import { ensureGhost } from '../models/ghost.js';
import { RoomSession } from '../models/room.js';
import { navigate } from '../router.js';
import { currentRoom, pendingSecret } from '../state.js';

function handle(memberId: string): string {
  return memberId ? `Ghost ${memberId.slice(0, 4)}` : 'Ghost';
}

/** A room: invite link, members, messages and the composer. */
export function Room() {
  const error = useSignal<string | null>(null);
  const draft = useSignal('');
  const listEnd = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const secret = pendingSecret.value;
    if (!secret) return;
    pendingSecret.value = null;
    currentRoom.value?.wipe();
    RoomSession.join(secret, { origin: location.origin, WebSocket, ghost: () => ensureGhost(location.origin) })
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

  const submit = (e: Event) => {
    e.preventDefault();
    const text = draft.value;
    draft.value = '';
    void room.send(text);
  };
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
          <li key={m.id} class={`max-w-[80%] rounded-xl px-3 py-2 ${m.mine ? 'self-end bg-ghost text-ink' : 'self-start bg-panel'}`} data-testid="message">
            {!m.mine && <div class="text-xs text-mute">{handle(m.from)}</div>}
            <div class="whitespace-pre-wrap break-words" data-testid="message-body">{m.body}</div>
            {m.mine && (
              <div class="text-xs opacity-70" data-testid="message-status">
                {m.status === 'sending' ? 'sending…' : m.status === 'failed' ? 'not sent (offline)' : `sent · delivered to ${m.delivered ?? 0}`}
              </div>
            )}
          </li>
        ))}
        <div ref={listEnd} />
      </ol>
      <form class="p-3 border-t border-line flex gap-2" onSubmit={submit}>
        <input
          class="field flex-1"
          aria-label="Message"
          placeholder={state.phase === 'open' ? 'Write a message' : 'Waiting for the connection…'}
          value={draft.value}
          onInput={(e) => (draft.value = (e.currentTarget as HTMLInputElement).value)}
          maxLength={3000}
        />
        <button class="btn" type="submit" disabled={state.phase !== 'open'}>Send</button>
      </form>
    </main>
  );
}
