import { useSignal } from '@preact/signals';
import { MAX_TEXT_CHARS } from '../../../protocol/src/limits.js';
import type { RoomSession, SendOptions } from '../models/room.js';
import { describeFindings, scanText } from '../sensitivity/scan.js';

/** Delays a sender may pick for a time-locked message, in minutes (0 = none). */
const RELEASE_CHOICES = [0, 1, 10, 60];

/** The message box: text, image, read-once and time-lock options, and the local sensitivity warning. */
export function Composer({ room, open }: { room: RoomSession; open: boolean }) {
  const draft = useSignal('');
  const once = useSignal(false);
  const delay = useSignal(0);
  const warning = useSignal<string | null>(null);
  const mediaError = useSignal<string | null>(null);

  const options = (): SendOptions => ({ ...(once.value ? { once: true } : {}), ...(delay.value ? { releaseAt: Date.now() + delay.value * 60_000 } : {}) });
  const send = () => {
    const text = draft.value;
    draft.value = '';
    warning.value = null;
    void room.send(text, options());
  };
  const submit = (e: Event) => {
    e.preventDefault();
    // Scanned here, in this tab only: nothing about the draft leaves the device unless it is sent.
    const w = describeFindings(scanText(draft.value));
    if (w) warning.value = w;
    else send();
  };
  const attach = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    mediaError.value = null;
    room.sendImage(file, undefined, options()).catch((err: unknown) => (mediaError.value = (err as Error).message));
  };

  return (
    <div class="border-t border-line">
      {warning.value && (
        <div role="alert" class="p-3 flex flex-wrap gap-2 items-center text-warn" data-testid="sensitivity-warning">
          <span class="flex-1">{warning.value}</span>
          <button class="btn" onClick={send}>Send anyway</button>
          <button class="btn-quiet" onClick={() => (warning.value = null)}>Edit</button>
        </div>
      )}
      {mediaError.value && <p role="alert" class="m-0 p-3 text-bad">{mediaError.value}</p>}
      <form class="p-3 flex flex-wrap gap-2" onSubmit={submit}>
        <input
          class="field flex-1"
          aria-label="Message"
          autocomplete="off"
          placeholder={open ? 'Write a message' : 'Waiting for the connection…'}
          value={draft.value}
          onInput={(e) => {
            draft.value = (e.currentTarget).value;
            warning.value = null;
          }}
          maxLength={MAX_TEXT_CHARS}
        />
        <button class="btn" type="submit" disabled={!open}>Send</button>
        <div class="w-full flex flex-wrap gap-3 text-sm text-mute items-center">
          <label class="btn-quiet">
            Attach image
            <input type="file" accept="image/*" class="sr-only" aria-label="Attach image" disabled={!open} onChange={attach} />
          </label>
          <label>
            <input type="checkbox" checked={once.value} onChange={(e) => (once.value = (e.currentTarget).checked)} /> Read once
          </label>
          <label>
            Show after{' '}
            <select aria-label="Time lock" value={delay.value} onChange={(e) => (delay.value = Number((e.currentTarget).value))}>
              {RELEASE_CHOICES.map((m) => (
                <option value={m}>{m === 0 ? 'now' : m < 60 ? `${m} min` : `${m / 60} h`}</option>
              ))}
            </select>
          </label>
          <span>Read-once and time-lock are enforced by the app, not by encryption.</span>
        </div>
      </form>
    </div>
  );
}
