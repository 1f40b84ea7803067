import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { READ_ONCE_VIEW_MS } from '../../../protocol/src/limits.js';
import type { ChatMessage } from '../models/room.js';
import { messageTime } from './message-time.js';

/** Labels for client-enforced rules: they say plainly that only the app enforces them. */
export const TIME_LOCK_NOTE = 'enforced by the app, not by encryption';

interface Props {
  m: ChatMessage;
  onReveal(id: string): void;
  onBurn(id: string): void;
}

/** Seconds left of a read-once message's view, from when it was opened here. */
function ReadOnceCountdown({ openedAt }: { openedAt: number }) {
  const now = useSignal(Date.now());
  useEffect(() => {
    const t = setInterval(() => (now.value = Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((openedAt + READ_ONCE_VIEW_MS - now.value) / 1000));
  return <span data-testid="read-once-countdown">Read once: disappears in {left} s.</span>;
}

/** One message: sender handle and colour (from its verified key), content, time, and its display rules. */
export function MessageItem({ m, onReveal, onBurn }: Props) {
  const openedAt = useSignal<number | null>(null);
  const lockedUntil = m.held && m.releaseAt && m.releaseAt > Date.now() ? m.releaseAt : null;
  return (
    <div
      class={`max-w-[85%] w-fit rounded-xl px-3 py-2 ${m.mine ? 'ml-auto bg-ghost text-ink' : 'bg-panel'}`}
      data-testid="message"
      data-once={m.once ? 'true' : undefined}
      data-held={m.held ? 'true' : undefined}
    >
      {!m.mine && (
        <div class="text-xs flex items-center gap-1" data-testid="message-handle" title="Derived from the sender's signing key">
          <span aria-hidden="true" class="inline-block w-2 h-2 rounded-full" style={{ background: m.colour }} />
          {/* The colour is on the dot: a name in its key's colour is unreadable for some keys on either theme. */}
          <span class="font-medium">{m.handle}</span>
        </div>
      )}
      {lockedUntil !== null ? (
        <div class="text-sm italic" data-testid="message-locked">
          Time-locked until {messageTime(lockedUntil)} ({TIME_LOCK_NOTE}).
        </div>
      ) : m.once && m.held && !m.mine ? (
        <button
          class="btn-quiet"
          data-testid="reveal"
          onClick={() => {
            openedAt.value = Date.now();
            onReveal(m.id);
          }}
        >
          View read-once message
        </button>
      ) : (
        <>
          {m.kind === 'image' && m.imageUrl && <img src={m.imageUrl} alt={`Image from ${m.mine ? 'you' : m.handle}`} class="max-w-full rounded" data-testid="message-image" />}
          {m.kind === 'text' && <div class="whitespace-pre-wrap break-words" data-testid="message-body">{m.body}</div>}
          {m.mine && m.once && <div class="text-sm italic">Read-once message sent: it is shown to each member once.</div>}
        </>
      )}
      {m.once && !m.mine && !m.held && (
        <div class="text-xs opacity-80 flex gap-2 items-center">
          {openedAt.value !== null ? <ReadOnceCountdown openedAt={openedAt.value} /> : <span>Read once: it disappears soon.</span>}
          <button class="btn-quiet" onClick={() => onBurn(m.id)}>
            Close
          </button>
        </div>
      )}
      <div class="text-xs opacity-70 flex flex-wrap gap-x-2 justify-end">
        <time dateTime={new Date(m.releaseAt !== undefined && lockedUntil === null ? m.releaseAt : m.at).toISOString()} data-testid="message-time">
          {messageTime(m.releaseAt !== undefined && lockedUntil === null && !m.mine ? m.releaseAt : m.at)}
        </time>
        {m.mine && m.releaseAt !== undefined && <span>shows {m.releaseAt > Date.now() ? `at ${messageTime(m.releaseAt)}` : 'now'}</span>}
        {m.mine && (
          <span data-testid="message-status">
            {m.status === 'sending'
              ? m.progress !== undefined
                ? `sending… ${Math.round(m.progress * 100)}%`
                : 'sending…'
              : m.status === 'failed'
                ? 'not sent (offline)'
                : `sent · delivered to ${m.delivered ?? 0}`}
          </span>
        )}
      </div>
    </div>
  );
}
