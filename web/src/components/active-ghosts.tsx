import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ghostView } from '../ghost-view.js';

/** How often the landing page refreshes the count. */
const STATS_REFRESH_MS = 30_000;

/** The live count of active ghosts, from GET /api/stats (aggregate only; nothing about anyone). */
export function ActiveGhosts() {
  const count = useSignal<number | null>(null);
  // Entering (or leaving) changes the count: ask again then, so "0 ghosts" never stands beside your own.
  const ghostId = ghostView.value?.id ?? null;
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        // The schema (and zod) load on demand, off the landing page's initial bundle.
        const [{ statsResponseSchema }, { getJson }] = await Promise.all([import('../../../protocol/src/messages/stats-api.js'), import('../net/api.js')]);
        const s = await getJson(`${location.origin}/api/stats`, statsResponseSchema);
        if (!stopped) count.value = s.activeGhosts;
      } catch {
        // The count is decoration: an unreachable relay is said elsewhere, when it matters.
      }
    };
    void load();
    const t = setInterval(() => void load(), STATS_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [ghostId]);
  // Its line is held from the first paint, so the count arriving does not push the page down (layout shift).
  if (count.value === null) return <p class="m-0 text-sm" aria-hidden="true">{'\u00a0'}</p>;
  return (
    <p class="m-0 text-sm text-mute" data-testid="active-ghosts">
      {count.value === 1 ? '1 ghost is active on this relay right now.' : `${count.value} ghosts are active on this relay right now.`}
    </p>
  );
}
