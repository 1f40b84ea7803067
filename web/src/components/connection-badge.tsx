import { online } from '../net/connectivity.js';
import type { ConnectionState } from '../net/relay-client.js';

const LABEL: Record<ConnectionState['phase'], string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected',
  waiting: 'Reconnecting…',
  closed: 'Disconnected',
};

/** The connection state in words and colour, announced to screen readers when it changes. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const colour = state.phase === 'open' ? 'bg-good' : state.phase === 'closed' ? 'bg-bad' : 'bg-warn';
  const offline = !online.value && state.phase !== 'open';
  const detail = offline ? ' You are offline; Ghostwire reconnects when the network returns.' : state.phase === 'waiting' ? ` ${state.reason} Retrying in ${Math.ceil(state.retryInMs / 1000)} s.` : state.phase === 'closed' ? ` ${state.reason}` : '';
  return (
    <span role="status" aria-live="polite" data-phase={state.phase} class="inline-flex items-center gap-2 text-sm text-mute">
      <span class={`inline-block w-2 h-2 rounded-full ${colour}`} aria-hidden="true" />
      {LABEL[state.phase]}
      {detail && <span class="sr-only sm:not-sr-only">{detail}</span>}
    </span>
  );
}
