import { useSignal } from '@preact/signals';
import { openInvite, parseInvite } from '../invite.js';

/**
 * Join by pasting a link: the secret goes from the field to memory and never
 * becomes a navigated URL, so browser history and session restore never hold it
 * (like scanning a QR code in the app).
 */
export function PasteInvite() {
  const text = useSignal('');
  const error = useSignal<string | null>(null);
  return (
    <form
      class="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const invite = parseInvite(text.value, location.origin);
        if (!invite) {
          error.value = 'That is not a whole invite link for this relay. Copy the entire link (it has a # in it) and paste it again.';
          return;
        }
        text.value = '';
        error.value = null;
        openInvite(invite);
      }}
    >
      <label for="paste-invite" class="text-sm text-mute">
        Got an invite link? Paste it here instead of opening it, so it stays out of your browser history.
      </label>
      <div class="flex gap-2">
        <input
          id="paste-invite"
          class="field flex-1"
          type="text"
          inputMode="url"
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          placeholder="Paste an invite link"
          value={text.value}
          aria-invalid={error.value !== null}
          aria-describedby={error.value ? 'paste-invite-error' : undefined}
          onInput={(e) => ((text.value = (e.currentTarget).value), (error.value = null))}
        />
        <button class="btn" type="submit" disabled={!text.value.trim()}>
          Join
        </button>
      </div>
      {error.value && (
        <p id="paste-invite-error" role="alert" class="m-0 text-sm text-bad">
          {error.value}
        </p>
      )}
    </form>
  );
}
