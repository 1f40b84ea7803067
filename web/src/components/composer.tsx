import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { MAX_TEXT_CHARS } from '../../../protocol/src/limits.js';
import type { RoomSession, SendOptions } from '../models/room.js';
import { describeFindings, scanText } from '../sensitivity/scan.js';
import { ImageIcon, OptionsIcon, TimerIcon } from './icons.js';
import { userMessage } from '../user-message.js';
import { createBlobUrl as createObjectUrl, revokeBlobUrl as revokeObjectUrl } from '../media/blob-urls.js';

/** Delays a sender may pick for a time-locked message, in minutes (0 = none). */
const RELEASE_CHOICES = [0, 1, 10, 60];
const delayText = (m: number) => (m === 0 ? 'now' : m < 60 ? `${m} min` : `${m / 60} h`);

/** Said once, where the options are chosen (not on every message). */
export const RULES_CAVEAT = 'Read-once and time-lock are kept by the Ghostwire app, not by encryption: a modified app could ignore them.';

/**
 * The message box. Read-once and time-lock sit behind one Options control and
 * apply to the next message only (they reset after each send); a picked image
 * is previewed with Send and Cancel before anything leaves.
 */
export function Composer({ room, open }: { room: RoomSession; open: boolean }) {
  const draft = useSignal('');
  const once = useSignal(false);
  const delay = useSignal(0);
  const showOptions = useSignal(false);
  const warning = useSignal<string | null>(null);
  const mediaError = useSignal<string | null>(null);
  const picked = useSignal<{ file: File; url: string } | null>(null);
  const sending = useSignal<number | null>(null);

  // A preview URL is the user's own picture: revoke it when it goes (and the wipe revokes it too).
  useEffect(() => () => picked.value && revokeObjectUrl(picked.value.url), []);

  const options = (): SendOptions => ({ ...(once.value ? { once: true } : {}), ...(delay.value ? { releaseAt: Date.now() + delay.value * 60_000 } : {}) });
  const resetOptions = () => {
    once.value = false;
    delay.value = 0;
    showOptions.value = false;
  };
  const send = () => {
    const text = draft.value;
    const opts = options();
    draft.value = '';
    warning.value = null;
    resetOptions();
    void room.send(text, opts);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!draft.value.trim()) return;
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
    if (picked.value) revokeObjectUrl(picked.value.url);
    picked.value = { file, url: createObjectUrl(file) };
  };
  const cancelImage = () => {
    if (picked.value) revokeObjectUrl(picked.value.url);
    picked.value = null;
  };
  const sendImage = () => {
    const p = picked.value;
    if (!p) return;
    const opts = options();
    resetOptions();
    picked.value = null;
    revokeObjectUrl(p.url);
    sending.value = 0;
    room
      .sendImage(p.file, (f) => (sending.value = f), opts)
      .catch((err: unknown) => (mediaError.value = userMessage(err, 'The image could not be sent. Try another image.')))
      .finally(() => (sending.value = null));
  };

  const chosen = [once.value ? 'read once' : null, delay.value ? `shows after ${delayText(delay.value)}` : null].filter(Boolean).join(' · ');

  return (
    <div class="border-t border-line pb-safe">
      {warning.value && (
        <div role="alert" class="p-3 flex flex-wrap gap-2 items-center text-warn" data-testid="sensitivity-warning">
          <span class="flex-1">{warning.value}</span>
          <button class="btn" onClick={send}>
            Send anyway
          </button>
          <button class="btn-quiet" onClick={() => (warning.value = null)}>
            Edit
          </button>
        </div>
      )}
      {mediaError.value && (
        <p role="alert" class="m-0 px-3 pt-2 text-bad">
          {mediaError.value}
        </p>
      )}
      {picked.value && (
        <div class="p-3 flex gap-3 items-center" data-testid="image-preview" data-sensitive>
          <img src={picked.value.url} alt="The image you picked" class="w-20 h-20 object-cover rounded" />
          <div class="flex-1 min-w-0 flex flex-col gap-2">
            <p class="m-0 text-sm">Exif and GPS are removed before it is sent (the image is re-encoded).</p>
            <div class="flex gap-2">
              <button type="button" class="btn" disabled={!open} onClick={sendImage}>
                Send image
              </button>
              <button type="button" class="btn-quiet" onClick={cancelImage}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
      {sending.value !== null && (
        <p class="m-0 px-3 pt-2 text-sm text-mute" role="status">
          Sending image… {Math.round(sending.value * 100)}%
        </p>
      )}
      {showOptions.value && (
        <fieldset class="m-0 mx-3 mt-2 p-2 border border-line rounded-lg flex flex-wrap gap-3 items-center text-sm" data-testid="composer-options">
          <legend class="text-mute px-1">For the next message</legend>
          <label class="flex items-center gap-2 min-h-11">
            <input autocomplete="off" type="checkbox" class="w-5 h-5" checked={once.value} onChange={(e) => (once.value = (e.currentTarget as HTMLInputElement).checked)} /> Read once
          </label>
          <label class="flex items-center gap-2">
            Show after
            <select autocomplete="off" class="field" aria-label="Time lock" value={delay.value} onChange={(e) => (delay.value = Number((e.currentTarget as HTMLSelectElement).value))}>
              {RELEASE_CHOICES.map((m) => (
                <option value={m}>{delayText(m)}</option>
              ))}
            </select>
          </label>
          <p class="m-0 w-full text-xs text-mute">{RULES_CAVEAT}</p>
        </fieldset>
      )}
      <form class="p-2 flex gap-2 items-center" onSubmit={submit}>
        <button type="button" class="btn-icon" aria-label={chosen ? `Message options: ${chosen}` : 'Message options'} aria-expanded={showOptions.value} onClick={() => (showOptions.value = !showOptions.value)}>
          {chosen ? <TimerIcon /> : <OptionsIcon />}
        </button>
        <label class="btn-icon" title="Attach image">
          <ImageIcon />
          <input autocomplete="off" type="file" accept="image/*" class="sr-only" aria-label="Attach image" disabled={!open} onChange={attach} />
        </label>
        <input
          class="field flex-1"
          aria-label="Message"
          autocomplete="off"
          placeholder={open ? (chosen ? `Message (${chosen})` : 'Message') : 'Waiting for the connection…'}
          value={draft.value}
          onInput={(e) => {
            draft.value = (e.currentTarget as HTMLInputElement).value;
            warning.value = null;
          }}
          maxLength={MAX_TEXT_CHARS}
        />
        <button class="btn" type="submit" disabled={!open}>
          Send
        </button>
      </form>
    </div>
  );
}
