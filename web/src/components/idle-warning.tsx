import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ghostView } from '../ghost-view.js';
import { userMessage } from '../user-message.js';
import { idleState } from '../idle.js';
import { formatRemaining } from './countdown.js';

/** How often the warning re-checks the clock. */
const TICK_MS = 1000;

/**
 * Before the relay ends the ghost's session from idleness, says so with a
 * "Stay" button that makes an authenticated call (which slides the timer).
 */
export function IdleWarning() {
  const now = useSignal(Date.now());
  const error = useSignal<string | null>(null);
  const g = ghostView.value;
  useEffect(() => {
    if (!g) return;
    const t = setInterval(() => (now.value = Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, [g?.id]);
  if (!g) return null;
  const s = idleState(g.expiresAt, now.value);
  if (s.kind === 'fine') return null;

  const stay = async () => {
    error.value = null;
    try {
      const { currentGhost } = await import('../models/ghost.js');
      const ghost = currentGhost();
      if (!ghost) throw new Error('This ghost is gone. Go to the start page and enter again.');
      await ghost.touch();
    } catch (err) {
      error.value = userMessage(err, 'The relay could not be reached. Check your connection and try again.');
    }
  };

  return (
    <div role="alert" class="p-3 border-b border-warn text-warn flex flex-wrap items-center gap-3" data-testid="idle-warning">
      <span>
        {s.kind === 'warn'
          ? `Your ghost ends in ${formatRemaining(s.msLeft)} because nothing happened for a while. Press Stay to keep it.`
          : 'Your ghost may have ended from idleness. Press Stay to check; if it has, go to the start page and enter again.'}
      </span>
      <button class="btn" onClick={() => void stay()}>
        Stay
      </button>
      {error.value && <span class="text-bad">{error.value}</span>}
    </div>
  );
}
