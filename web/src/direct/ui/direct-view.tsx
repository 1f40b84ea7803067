import { useSignal } from '@preact/signals';
import { DIRECT_MAX_TEXT_CHARS } from '../../../../protocol/src/limits.js';
import { NatDiagnosis } from '../../components/nat-panel.js';
import { shielded } from '../../privacy/shield.js';
import type { DirectSession } from '../session.js';
import { canSend, peerPresent, type DirectPhase } from '../state.js';
import { LinkPanel } from './link-panel.js';
import { MessagesPane } from './messages-pane.js';
import { SessionPanel } from './session-panel.js';

const PHASE: Record<DirectPhase, string> = {
  starting: 'Starting…',
  waiting: 'Waiting for the other person',
  keying: 'Agreeing on keys…',
  connecting: 'Connecting…',
  open: 'Connected directly',
  'no-path': 'No direct connection',
  relayed: 'Connected through the relay',
  refused: 'Stopped: the keys did not match',
  closed: 'Ended',
};

/** The open session, chat first: header, notices, messages, and the composer pinned at the bottom. */
export function DirectView({ session, onLeave }: { session: DirectSession; onLeave(): void }) {
  const draft = useSignal('');
  const panel = useSignal(false);
  const s = session.state.value;
  const sendable = canSend(s.phase);
  const link = session.linkUrl;
  const submit = (e: Event) => {
    e.preventDefault();
    if (session.send(draft.value)) draft.value = '';
  };

  return (
    <main class="h-[100dvh] max-w-2xl mx-auto flex flex-col">
      <header class="px-2 py-1 border-b border-line flex items-center gap-2">
        <button class="btn-quiet min-h-11" onClick={onLeave} aria-label="Leave this session and go back">
          ‹ Leave
        </button>
        <div class="min-w-0 flex-1 flex flex-col">
          <h1 class="text-base m-0">Direct</h1>
          <span role="status" aria-live="polite" data-phase={s.phase} class="text-sm text-mute truncate">
            {PHASE[s.phase]}
            {s.verified && ' · safety number verified'}
          </span>
        </div>
        {s.safety && !s.verified && !panel.value && (
          <button class="btn-quiet min-h-11 text-sm" onClick={() => (panel.value = true)}>
            Verify
          </button>
        )}
        <button class="btn-quiet min-h-11" aria-expanded={panel.value} aria-controls="direct-panel" onClick={() => (panel.value = !panel.value)}>
          {panel.value ? 'Close' : 'Details'}
        </button>
      </header>
      {panel.value && <SessionPanel session={session} />}
      {s.notice && (
        <p role="alert" class={`m-0 px-3 py-2 text-sm ${s.phase === 'refused' ? 'text-bad' : 'text-warn'}`}>
          {s.notice}
        </p>
      )}
      {s.flood && (
        <div role="alert" class="px-3 py-2 text-sm text-warn flex gap-2 items-center" data-testid="flood-notice">
          <span class="flex-1">
            The other person is sending far faster than anyone types, so the excess is not shown ({s.flood.dropped} dropped). If you did not expect this,
            leave the session.
          </span>
          <button class="btn-quiet min-h-11" onClick={() => session.dismissFlood()}>
            Dismiss
          </button>
        </div>
      )}
      {s.diagnosis && (s.phase === 'connecting' || s.phase === 'no-path') && (
        <div class="px-3 pb-2">
          <NatDiagnosis d={s.diagnosis} label="Connection paths" />
        </div>
      )}
      {s.phase === 'no-path' && (
        <div class="px-3 pb-2">
          <button class="btn min-h-11" onClick={() => session.useRelay()}>
            Continue through the relay
          </button>
        </div>
      )}
      {(s.phase === 'closed' || s.phase === 'refused') && (
        <div class="px-3 pb-2">
          <button class="btn min-h-11" onClick={onLeave}>
            Start a new session
          </button>
        </div>
      )}
      {link && !peerPresent(s.phase) && s.phase !== 'closed' && s.phase !== 'refused' && <LinkPanel link={link} />}
      {!link && !s.verified && (
        <p class="m-0 px-3 py-2 border-b border-line text-sm text-warn">
          You met as strangers: only comparing the safety number protects you from a man in the middle (including the relay). Compare it before you trust
          this session.
        </p>
      )}
      <div data-sensitive class="flex-1 min-h-0 relative flex flex-col" data-testid="message-area" data-count={s.messages.length}>
        <MessagesPane messages={s.messages} blurred={shielded.value !== null} sendable={sendable} />
        {shielded.value && (
          <p class="absolute inset-x-0 top-4 mx-auto w-fit max-w-[90%] m-0 px-3 py-2 rounded-lg bg-panel text-sm" role="note">
            Messages are blurred while this window is in the background (best effort: it cannot stop a screenshot or a camera).
          </p>
        )}
      </div>
      <form class="p-2 border-t border-line flex gap-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]" onSubmit={submit}>
        <input
          class="field flex-1 min-h-11"
          aria-label="Message"
          autocomplete="off"
          placeholder={sendable ? 'Write a message' : 'Waiting for the connection…'}
          value={draft.value}
          onInput={(e) => (draft.value = (e.currentTarget).value)}
          maxLength={DIRECT_MAX_TEXT_CHARS}
        />
        <button class="btn min-h-11" type="submit" disabled={!sendable}>
          Send
        </button>
      </form>
    </main>
  );
}
