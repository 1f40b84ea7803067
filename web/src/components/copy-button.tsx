import { useSignal } from '@preact/signals';

/** How long "Copied" stays on the button. */
const COPIED_MS = 2000;

/** Copies `text` and says so on the button (or says that copying failed). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const said = useSignal<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      said.value = 'Copied';
    } catch {
      said.value = 'Copy failed: select the link and copy it';
    }
    setTimeout(() => (said.value = null), COPIED_MS);
  };
  return (
    <button type="button" class="btn-quiet" onClick={() => void copy()} aria-live="polite">
      {said.value ?? label}
    </button>
  );
}
