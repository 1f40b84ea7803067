import { useSignal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
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
  if (m.kind === 'gap') return <GapItem m={m} />;
  if (m.kind === 'notice') {
    return (
      <p class="m-0 text-center text-xs text-mute" data-testid="presence-notice">
        {m.body} · <time dateTime={new Date(m.at).toISOString()}>{messageTime(m.at)}</time>
      </p>
    );
  }
  if (m.viewed) {
    return (
      <div class={`max-w-[85%] w-fit rounded-xl px-3 py-2 border border-line text-sm italic text-mute ${m.mine ? 'ml-auto' : ''}`} data-testid="message" data-viewed="true">
        {m.mine ? 'Read-once message' : `Read-once message from ${m.handle}`}: viewed, and gone from this device.
      </div>
    );
  }
  const lockedUntil = m.held && m.releaseAt && m.releaseAt > Date.now() ? m.releaseAt : null;
  return (
    <div
      class={`max-w-[85%] w-fit rounded-xl px-3 py-2 ${m.mine ? 'ml-auto bg-ghost text-ink' : 'bg-panel'}`}
      data-testid="message"
      data-once={m.once ? 'true' : undefined}
      data-held={m.held ? 'true' : undefined}
    >
      {!m.mine && <Sender m={m} />}
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
          {m.refused && (
            <div class="text-sm italic" data-testid="image-refused">
              {m.refused}
            </div>
          )}
          {m.kind === 'image' && m.imageUrl && (
            <img src={m.imageUrl} alt={`Image from ${m.mine ? 'you' : m.handle}`} class="max-w-full rounded" decoding="async" data-testid="message-image" />
          )}
          {m.kind === 'text' && (
            // Isolated, so a body's direction cannot reach the app's words around it; the bar marks it as the sender's text, so a line in it cannot pass for a header.
            <div class="whitespace-pre-wrap break-words border-l-2 border-line pl-2" dir="auto" style={{ unicodeBidi: 'isolate' }} data-testid="message-body">
              {m.body}
            </div>
          )}
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
                : `sent · ${relayDelivered(m.delivered ?? 0)}`}
          </span>
        )}
      </div>
    </div>
  );
}

/** What the relay said about a sent message: its own count of sockets, not a confirmation from any member. */
const relayDelivered = (n: number): string => `relay: delivered to ${n}`;

/** Where messages of one sender's signed sequence never arrived: the relay (or the network) withheld them. */
function GapItem({ m }: { m: ChatMessage }) {
  const n = m.missing ?? 1;
  return (
    <div class="text-sm italic opacity-80 border-l-2 border-warn pl-2" data-testid="message-gap" role="note">
      {n} {n === 1 ? 'message' : 'messages'} from <bdi class="font-medium">{m.handle}</bdi> did not arrive. The relay may have dropped{' '}
      {n === 1 ? 'it' : 'them'}; ask {m.handle} to send again if it mattered.
    </div>
  );
}

/** The sender's handle; tapping it shows the key code to compare in person. A look-alike is marked and told apart by its code. */
function Sender({ m }: { m: ChatMessage }) {
  const [open, setOpen] = useState(false);
  const short = m.code?.split(' ').at(-1);
  return (
    <div class="text-xs flex flex-wrap items-center gap-1" data-lookalike={m.lookalike ? 'true' : undefined}>
      <span aria-hidden="true" class="inline-block w-2 h-2 rounded-full" style={{ background: m.colour }} />
      <button
        type="button"
        class="p-0 bg-transparent border-0 cursor-pointer text-xs font-medium text-inherit"
        aria-expanded={open}
        title="Derived from the sender's signing key. Tap to see its key code."
        onClick={() => setOpen(!open)}
      >
        <bdi data-testid="message-handle">{m.handle}</bdi>
      </button>
      {m.lookalike && (
        <span class="text-warn" data-testid="lookalike-mark">
          ⚠ looks like another member · key {short}
        </span>
      )}
      {open && m.code && (
        <span class="basis-full opacity-80" data-testid="key-code">
          Key code <span class="font-mono">{m.code}</span>: compare it with them in person or over another channel.
        </span>
      )}
    </div>
  );
}
