import { useSignal } from '@preact/signals';

/** The message box. Disabled, with a reason, while the connection is not open. */
export function Composer({ open, onSend }: { open: boolean; onSend(text: string): void }) {
  const draft = useSignal('');
  const submit = (e: Event) => {
    e.preventDefault();
    const text = draft.value;
    if (!text.trim()) return;
    draft.value = '';
    onSend(text);
  };
  return (
    <form class="p-3 border-t border-line flex gap-2" onSubmit={submit}>
      <input
        class="field flex-1"
        aria-label="Message"
        placeholder={open ? 'Write a message' : 'Waiting for the connection…'}
        value={draft.value}
        onInput={(e) => (draft.value = (e.currentTarget as HTMLInputElement).value)}
        maxLength={3000}
      />
      <button class="btn" type="submit" disabled={!open}>
        Send
      </button>
    </form>
  );
}
