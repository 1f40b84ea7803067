import { signal, useSignal, useSignalEffect } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { DIRECT_FRAME_UNIT_BYTES } from '../../../protocol/src/limits.js';
import { COVER_MIB_PER_HOUR, JITTER_MAX_MS } from '../direct/camouflage.js';
import { DirectSession, type DirectEnv, type DirectOptions, type DirectPhase } from '../direct/session.js';
import { describePath } from '../direct/path.js';
import { DirectLinkPaste } from '../components/direct-link-paste.js';
import { MissingProtections } from '../components/missing-protections.js';
import { NatDiagnosis, NatTest } from '../components/nat-panel.js';
import { QrCode } from '../qr/qr-code.js';
import { navigate } from '../router.js';
import { pendingDirectSecret } from '../state.js';

/** The direct session this tab holds, if any. Memory only. */
export const currentDirect = signal<DirectSession | null>(null);

const PHASE: Record<DirectPhase, string> = {
  starting: 'Starting…',
  waiting: 'Waiting for the other person…',
  keying: 'Agreeing on keys…',
  connecting: 'Connecting peer to peer…',
  open: 'Connected peer to peer',
  'no-path': 'No peer-to-peer path',
  relayed: 'Connected through the relay',
  refused: 'Refused: keys did not match',
  closed: 'Closed',
};

// globalThis: where WebRTC is off (Tor Browser), the bare name would throw.
const env = (): DirectEnv => ({ origin: location.origin, WebSocket, RTCPeerConnection: globalThis.RTCPeerConnection as typeof RTCPeerConnection | undefined });

/** Direct mode ("GhostWire"): a 1:1 end-to-end encrypted WebRTC session bound to a link secret. */
export function Direct() {
  const error = useSignal<string | null>(null);
  const options = useSignal<DirectOptions>({ hideIp: false, cover: false, jitter: false });

  // Also runs when a link is opened in-app (a scanned QR) while this page is already showing.
  useSignalEffect(() => {
    const secret = pendingDirectSecret.value;
    if (!secret) return;
    pendingDirectSecret.value = null;
    currentDirect.peek()?.wipe();
    DirectSession.join(secret, env(), options.peek())
      .then((s) => (currentDirect.value = s))
      .catch((err: Error) => (error.value = err.message));
  });

  const start = async (how: 'create' | 'stranger') => {
    error.value = null;
    currentDirect.value?.wipe();
    try {
      currentDirect.value = how === 'create' ? await DirectSession.create(env(), options.value) : await DirectSession.stranger(env(), options.value);
    } catch (err) {
      error.value = (err as Error).message;
    }
  };

  const session = currentDirect.value;
  if (session) return <DirectView session={session} />;

  const toggle = (k: keyof DirectOptions) => (options.value = { ...options.value, [k]: !options.value[k] });
  return (
    <main class="max-w-xl mx-auto p-6 flex flex-col gap-4">
      <h1 class="text-2xl font-bold m-0">Direct (peer to peer)</h1>
      <p class="m-0">
        A one-to-one session straight between two browsers. The link's secret never reaches the relay; your keys are mixed with it, so a relay that swaps
        keys is caught before anything is sent.
      </p>
      {error.value && <p role="alert" class="m-0 text-bad">{error.value}</p>}
      <MissingProtections />
      <fieldset class="border border-line rounded-lg p-3 flex flex-col gap-2">
        <legend class="text-sm text-mute">Options</legend>
        <label class="flex gap-2 items-start">
          <input type="checkbox" checked={options.value.hideIp} onChange={() => toggle('hideIp')} />
          <span>Hide my IP: connect only through a TURN relay, so the other person never sees your address.</span>
        </label>
        <label class="flex gap-2 items-start">
          <input type="checkbox" checked={options.value.cover} onChange={() => toggle('cover')} />
          <span>
            Cover traffic: send encrypted noise packets that look like messages. Costs about {COVER_MIB_PER_HOUR.toFixed(1)} MiB per hour each way.
          </span>
        </label>
        <label class="flex gap-2 items-start">
          <input type="checkbox" checked={options.value.jitter} onChange={() => toggle('jitter')} />
          <span>Send jitter: delay each message by up to {JITTER_MAX_MS} ms so timing says less.</span>
        </label>
      </fieldset>
      <div class="flex flex-wrap gap-2">
        <button class="btn" onClick={() => void start('create')}>Create direct link</button>
        <button class="btn-quiet" onClick={() => void start('stranger')}>Meet a stranger</button>
      </div>
      <DirectLinkPaste />
      <NatTest hideIp={options.value.hideIp} />
      <p class="m-0 text-sm text-mute">
        Stranger mode pairs you with a random person who is waiting. There is no shared link secret, so only comparing the safety number can show a
        man in the middle.
      </p>
    </main>
  );
}

function DirectView({ session }: { session: DirectSession }) {
  const draft = useSignal('');
  const listEnd = useRef<HTMLLIElement>(null);
  useSignalEffect(() => {
    void session.messages.value.length;
    listEnd.current?.scrollIntoView({ block: 'end' });
  });
  const phase = session.phase.value;
  const canSend = phase === 'open' || phase === 'relayed';
  const link = session.link;
  const leave = () => {
    session.wipe();
    currentDirect.value = null;
    navigate('/d');
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (session.send(draft.value)) draft.value = '';
  };
  const stats = session.stats.value;
  const safety = session.safety.value;

  return (
    <main class="max-w-2xl mx-auto min-h-[100dvh] flex flex-col">
      <header class="p-3 border-b border-line flex flex-wrap items-center gap-3">
        <h1 class="text-lg m-0">Direct</h1>
        <span role="status" aria-live="polite" data-phase={phase} class="text-sm text-mute">
          {PHASE[phase]}
        </span>
        <button class="btn-quiet ml-auto" onClick={leave}>Leave</button>
      </header>
      {session.notice.value && (
        <p role="alert" class={`m-0 p-3 ${phase === 'refused' ? 'text-bad' : 'text-warn'}`}>
          {session.notice.value}
        </p>
      )}
      {phase === 'no-path' && (
        <div class="p-3">
          <button class="btn" onClick={() => session.useRelay()}>Continue through the relay</button>
        </div>
      )}
      {link ? (
        <section class="p-3 border-b border-line flex flex-wrap gap-2 items-center">
          <label class="text-sm text-mute" for="direct-link">Direct link</label>
          <input id="direct-link" class="field flex-1 text-sm" readOnly value={link} aria-label="Direct link" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          <button class="btn-quiet" onClick={() => void navigator.clipboard?.writeText(link)}>Copy</button>
          <details class="basis-full">
            <summary class="text-sm">Show the link as a QR code (anyone who sees it can join)</summary>
            <QrCode text={link} label="Join QR code" size={200} />
          </details>
        </section>
      ) : (
        <p class="m-0 p-3 border-b border-line text-warn">
          Stranger mode: there is no link secret, so only the safety number protects you from a man in the middle (including the relay). Compare it
          through another channel before you trust this session.
        </p>
      )}
      <section class="p-3 border-b border-line flex flex-col gap-2" aria-label="Safety number">
        <div class="text-sm text-mute">Safety number: compare it with the other person, in person or by voice.</div>
        {safety ? (
          <>
            <code class="text-base tracking-wider" data-testid="safety-number" data-qr={safety.qr}>
              {safety.groups.join(' ')}
            </code>
            <details>
              <summary class="text-sm">Safety number as a QR code</summary>
              <QrCode text={safety.qr} label="Safety number QR code" size={160} />
            </details>
            <div>
              <button class="btn-quiet" aria-pressed={session.verified.value} onClick={() => session.markVerified()} disabled={session.verified.value}>
                {session.verified.value ? 'Verified' : 'Mark verified'}
              </button>
            </div>
          </>
        ) : (
          <span class="text-sm text-mute">Appears once both keys are exchanged.</span>
        )}
        {session.path.value && <div class="text-sm" data-testid="path">{describePath(session.path.value)}</div>}
        {session.diagnosis.value && phase !== 'open' && <NatDiagnosis d={session.diagnosis.value} label="Connection paths" />}
      </section>
      <details class="p-3 border-b border-line" open>
        <summary>Audit: security events of this session</summary>
        <ul class="text-sm m-0 pl-5" aria-label="Audit events">
          {session.audit.value.map((e, i) => (
            <li key={i} data-kind={e.kind} data-ok={e.ok === undefined ? undefined : String(e.ok)}>
              {e.ok === false ? '✗ ' : e.ok ? '✓ ' : ''}
              {e.text}
            </li>
          ))}
        </ul>
        <p class="text-sm text-mute m-0 mt-2" data-testid="traffic">
          Frames sent: {stats.framesSent} ({stats.bytesSent} bytes; sizes {stats.sizes.join(', ') || 'none yet'}; unit {DIRECT_FRAME_UNIT_BYTES}). Cover
          packets sent: {stats.coverSent}, dropped on receipt: {stats.coverDropped}.
        </p>
      </details>
      <ol class="flex-1 overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none" aria-label="Messages" aria-live="polite">
        {session.messages.value.map((m) => (
          <li key={m.id} class={`max-w-[80%] rounded-xl px-3 py-2 ${m.mine ? 'self-end bg-ghost text-ink' : 'self-start bg-panel'}`} data-testid="message">
            <div class="whitespace-pre-wrap break-words" data-testid="message-body">{m.body}</div>
          </li>
        ))}
        <li ref={listEnd} aria-hidden="true" />
      </ol>
      <form class="p-3 border-t border-line flex gap-2" onSubmit={submit}>
        <input
          class="field flex-1"
          aria-label="Message"
          placeholder={canSend ? 'Write a message' : 'Waiting for the connection…'}
          value={draft.value}
          onInput={(e) => (draft.value = (e.currentTarget as HTMLInputElement).value)}
          maxLength={3000}
        />
        <button class="btn" type="submit" disabled={!canSend}>Send</button>
      </form>
    </main>
  );
}
