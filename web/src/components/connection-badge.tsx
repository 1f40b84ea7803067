import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { RoomStatus } from '../models/room-status.js';
import { online } from '../net/connectivity.js';

/**
 * The room's state in words and colour, on every screen size (never only for
 * screen readers), announced when it changes. Reconnecting says when.
 */
export function ConnectionBadge({ status }: { status: RoomStatus }) {
  const now = useSignal(Date.now());
  useEffect(() => {
    if (status.kind !== 'reconnecting') return;
    const t = setInterval(() => (now.value = Date.now()), 1000);
    return () => clearInterval(t);
  }, [status.kind]);
  const phase = status.kind === 'connected' ? 'open' : status.kind === 'reconnecting' ? 'waiting' : status.kind === 'gone' ? 'closed' : 'connecting';
  const colour = status.kind === 'connected' ? 'bg-good' : status.kind === 'gone' ? 'bg-bad' : 'bg-warn';
  let text: string;
  if (status.kind === 'connected') text = 'Connected';
  else if (status.kind === 'connecting') text = 'Connecting…';
  else if (status.kind === 'gone') text = 'Room gone';
  else if (!online.value) text = 'Offline: reconnects when the network returns';
  else {
    const s = Math.ceil((status.retryAt - now.value) / 1000);
    text = s > 0 ? `Reconnecting in ${s} s` : 'Reconnecting…';
  }
  return (
    <span role="status" aria-live="polite" data-phase={phase} class="inline-flex items-center gap-1 text-xs text-mute min-w-0" data-testid="room-state">
      <span class={`inline-block w-2 h-2 rounded-full shrink-0 ${colour}`} aria-hidden="true" />
      {/* Wraps on a narrow phone rather than running under the header's buttons. */}
      <span class="whitespace-normal">{text}</span>
    </span>
  );
}
