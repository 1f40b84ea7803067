import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { FootprintResponse } from '../../../protocol/src/messages/ghosts-api.js';
import { ghostView } from '../ghost-view.js';
import { userMessage } from '../user-message.js';
import { currentGhost, settledGhost } from '../models/ghost.js';
import { navigate } from '../router.js';
import { Countdown } from './countdown.js';
import { SelfDestructButton } from './self-destruct-button.js';

type Kind = FootprintResponse['records'][number]['kind'];

/** What each kind of relay record is, in words. */
const KIND_TEXT: Record<Kind, string> = {
  ghost: 'Your ghost: its random id, its public signing key and a hash of its session token (never the token itself)',
  'key-index': 'An index from your public key to your ghost, so nobody else can register the same key',
  'rate-limit': 'Rate-limit counters (how many rooms, invites and join tokens you asked for lately)',
  membership: 'Room memberships: which of your rooms you are in, as opaque ids',
};

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The ghost's session timer, "Destroy now", and what the relay holds about it (from the footprint endpoint). */
export function GhostPrivacy() {
  const g = ghostView.value;
  const footprint = useSignal<FootprintResponse | null>(null);
  const error = useSignal<string | null>(null);
  const load = async () => {
    error.value = null;
    const ghost = currentGhost() ?? (await settledGhost());
    if (!ghost) return;
    try {
      footprint.value = await ghost.footprint();
    } catch (err) {
      error.value = userMessage(err, 'The relay could not be asked. Check your connection and try again.');
    }
  };
  useEffect(() => void load(), [g?.id]);

  if (!g) {
    return (
      <section aria-labelledby="ghost-h" class="flex flex-col gap-2">
        <h2 id="ghost-h" class="text-lg m-0">
          What the relay holds
        </h2>
        <p class="m-0">Nothing about this tab: it has no ghost. Enter anonymously on the start page to make one.</p>
        <div>
          <button class="btn-quiet" onClick={() => navigate('/')}>
            Go to the start page
          </button>
        </div>
      </section>
    );
  }
  const f = footprint.value;
  return (
    <section aria-labelledby="ghost-h" class="flex flex-col gap-2">
      <h2 id="ghost-h" class="text-lg m-0">
        Your ghost on the relay
      </h2>
      <p class="m-0 text-sm text-mute">Your session there. It has no name: in each room you get a new one, made for that room only.</p>
      <p class="m-0 flex flex-wrap gap-x-3" data-testid="session-timer">
        <span>
          Idle session: <Countdown until={g.expiresAt} label="Session ends if idle in" />
        </span>
        <span>
          At the latest: <Countdown until={g.hardExpiresAt} label="Ghost ends at the latest in" />
        </span>
      </p>
      <div>
        <SelfDestructButton label="Destroy now" />
      </div>
      <h3 class="text-base m-0">What the relay holds about you</h3>
      {error.value && (
        <p role="alert" class="m-0 text-bad">
          {error.value}
        </p>
      )}
      {!f ? (
        !error.value && <p class="m-0 text-mute">Asking the relay…</p>
      ) : (
        <ul class="m-0 pl-5 flex flex-col gap-1" data-testid="relay-footprint">
          {f.records.map((r) => (
            <li key={r.kind} data-kind={r.kind}>
              {KIND_TEXT[r.kind]}: {r.count} {r.count === 1 ? 'record' : 'records'}, gone by {time(r.expiresAt + g.clockOffsetMs)}.
            </li>
          ))}
        </ul>
      )}
      <div>
        <button class="btn-quiet" onClick={() => void load()}>
          Ask the relay again
        </button>
      </div>
      <p class="m-0 text-mute text-sm">
        Every record has an expiry from the moment it is written. Asking counts as activity, so it also keeps your idle session alive.
      </p>
    </section>
  );
}
