import { useSignal } from '@preact/signals';
import { selfDestruct } from '../self-destruct.js';

/**
 * Self-destruct with a confirmation step: the first press asks, the second
 * destroys. `label` names the first button ("Self-destruct", "Destroy now").
 */
export function SelfDestructButton({ label = 'Self-destruct' }: { label?: string }) {
  const armed = useSignal(false);
  const busy = useSignal(false);
  if (!armed.value) {
    return (
      <button class="btn-quiet text-bad" onClick={() => (armed.value = true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label="Confirm self-destruct" class="flex flex-wrap items-center gap-2">
      <span class="text-sm">
        Destroy your ghost and wipe every room open in this tab, with its messages, from this device? The rooms go on for the others, who keep what they
        received.
      </span>
      <button
        class="btn bg-bad"
        disabled={busy.value}
        onClick={() => {
          busy.value = true;
          void selfDestruct();
        }}
      >
        {busy.value ? 'Destroying…' : 'Yes, destroy everything'}
      </button>
      <button class="btn-quiet" disabled={busy.value} onClick={() => (armed.value = false)}>
        Keep
      </button>
    </span>
  );
}
