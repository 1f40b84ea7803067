import { useSignal } from '@preact/signals';
import { openInvite, parseInvite } from '../invite.js';

/**
 * Joins a direct link pasted here, with the options chosen above it (so the
 * joiner can hide their IP too, which opening the link cannot ask first).
 * Like scanning, it keeps the secret out of the browser's history.
 */
export function DirectLinkPaste() {
  const text = useSignal('');
  const error = useSignal<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const invite = parseInvite(text.value, location.origin);
    if (!invite || invite.kind !== 'direct') {
      error.value = 'That is not a direct link of this relay. Paste the whole link (it ends in /d# and a code).';
      return;
    }
    error.value = null;
    text.value = '';
    openInvite(invite);
  };
  return (
    <form class="flex flex-col gap-2" onSubmit={submit}>
      <label class="text-sm text-mute" for="direct-paste">Have a direct link? Paste it to join with the options above.</label>
      <div class="flex gap-2">
        <input
          id="direct-paste"
          class="field flex-1"
          autoComplete="off"
          spellcheck={false}
          value={text.value}
          onInput={(e) => (text.value = (e.currentTarget).value)}
        />
        <button class="btn-quiet" type="submit">Join</button>
      </div>
      {error.value && <p role="alert" class="m-0 text-bad text-sm">{error.value}</p>}
    </form>
  );
}
