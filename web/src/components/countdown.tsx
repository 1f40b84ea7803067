import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

/** "1 h 05 min", "4 min 09 s", "12 s": coarse where precision does not matter. */
export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** Time left until `until` (epoch ms), ticking once a second. */
export function Countdown({ until, label, class: cls = 'text-sm' }: { until: number; label: string; class?: string }) {
  const now = useSignal(Date.now());
  useEffect(() => {
    const t = setInterval(() => (now.value = Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <span class={`${cls} text-mute tabular-nums`} title={label} aria-label={`${label}: ${formatRemaining(until - now.value)}`}>
      ends in {formatRemaining(until - now.value)}
    </span>
  );
}
