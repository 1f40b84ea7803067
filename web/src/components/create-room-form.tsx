import { useSignal } from '@preact/signals';
import {
  INVITE_QR_REFRESH_SECONDS,
  INVITE_TICKET_TTL_SECONDS,
  ROOM_DEFAULT_CAPACITY,
  ROOM_DEFAULT_TTL_SECONDS,
  ROOM_MAX_BACKLOG,
  ROOM_NAME_MAX_BYTES,
} from '../../../protocol/src/limits.js';
import type { RoomSettings } from '../models/room.js';

const LIFETIMES: Array<[number, string]> = [
  [15 * 60, '15 minutes'],
  [60 * 60, '1 hour'],
  [ROOM_DEFAULT_TTL_SECONDS, '2 hours'],
  [6 * 60 * 60, '6 hours'],
  [24 * 60 * 60, '24 hours (the maximum)'],
];
const CAPACITIES = [2, 5, 10, ROOM_DEFAULT_CAPACITY, 50, 100];

/** Room settings at creation: name, how many may join, when the room destroys itself, history, rotating invites, forward secrecy (on unless turned off or listed), and whether it is listed. */
export function CreateRoomForm({ busy, onCreate }: { busy: boolean; onCreate(s: RoomSettings): void }) {
  const capacity = useSignal(ROOM_DEFAULT_CAPACITY);
  const ttl = useSignal(ROOM_DEFAULT_TTL_SECONDS);
  const name = useSignal('');
  const backlog = useSignal(false);
  const listed = useSignal(false);
  const rotating = useSignal(false);
  // Forward secrecy is the default for private rooms (issue 19); turning it off is a deliberate, labelled choice.
  const mls = useSignal(true);
  // The relay limits the name in UTF-8 bytes, not characters: an em dash is 3 bytes, an emoji 4.
  const bytes = new TextEncoder().encode(name.value.trim()).length;
  const tooLong = bytes > ROOM_NAME_MAX_BYTES;
  return (
    <form
      class="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (tooLong) return;
        onCreate({
          capacity: capacity.value,
          ttlSeconds: ttl.value,
          ...(name.value.trim() ? { name: name.value } : {}),
          ...(backlog.value ? { backlog: true } : {}),
          ...(listed.value ? { public: true } : {}),
          // A public room is joined from the lobby, where there is no QR code to scan.
          ...(rotating.value && !listed.value ? { rotatingInvites: true } : {}),
          // A public room's key is derivable from its public id, so it cannot be an MLS group: the lobby's links carry no mark.
          ...(mls.value && !listed.value ? { mls: true } : {}),
        });
      }}
    >
      <div class="flex flex-col gap-1 text-sm text-mute w-full">
        <label for="room-name">Room name (optional)</label>
        <input
          id="room-name"
          class="field"
          value={name.value}
          autocomplete="off"
          aria-invalid={tooLong}
          aria-describedby="room-name-count"
          placeholder={listed.value ? 'Shown in the lobby to everyone' : 'Only people with the link can read it'}
          onInput={(e) => (name.value = (e.currentTarget).value)}
        />
        <span id="room-name-count" class={tooLong ? 'text-bad' : ''} data-testid="room-name-count" aria-live="polite">
          {tooLong
            ? `Too long: ${bytes} of ${ROOM_NAME_MAX_BYTES} bytes. Shorten it (letters like — or é take more than one byte).`
            : `${bytes} of ${ROOM_NAME_MAX_BYTES} bytes`}
        </span>
      </div>
      <label class="flex flex-col gap-1 text-sm text-mute">
        Lifetime
        <select autocomplete="off" class="field" value={ttl.value} onChange={(e) => (ttl.value = Number((e.currentTarget).value))}>
          {LIFETIMES.map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="flex flex-col gap-1 text-sm text-mute">
        People at most
        <select autocomplete="off" class="field" value={capacity.value} onChange={(e) => (capacity.value = Number((e.currentTarget).value))}>
          {CAPACITIES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label class="flex items-start gap-2 text-sm w-full">
        <input autocomplete="off" type="checkbox" class="mt-1" checked={backlog.value} onChange={(e) => (backlog.value = (e.currentTarget).checked)} />
        <span>
          Keep recent messages for late joiners and reconnects
          <span class="block text-mute">
            The relay holds the last {ROOM_MAX_BACKLOG} encrypted frames until the room ends. Off: nothing is kept.
            {mls.value && !listed.value ? ' With forward secrecy on, it helps reconnects only: someone who joins later cannot open what was said before.' : ''}
          </span>
        </span>
      </label>
      <label class="flex items-start gap-2 text-sm w-full">
        <input autocomplete="off" type="checkbox" class="mt-1" checked={rotating.value && !listed.value} disabled={listed.value} onChange={(e) => (rotating.value = (e.currentTarget).checked)} />
        <span>
          Rotating invite QR (refreshes every {INVITE_QR_REFRESH_SECONDS} s; an old photo of it cannot join)
          <span class="block text-mute">Each QR code or link lets one person in within {INVITE_TICKET_TTL_SECONDS} seconds. Show it to people in person, or send it right away. Not for public rooms.</span>
        </span>
      </label>
      <label class="flex items-start gap-2 text-sm w-full">
        <input autocomplete="off" type="checkbox" class="mt-1" checked={mls.value && !listed.value} disabled={listed.value} onChange={(e) => (mls.value = (e.currentTarget).checked)} />
        <span>
          Forward secrecy (MLS)
          {listed.value ? (
            <span class="block text-mute">Not for public rooms: their key is in the lobby for anyone to take, so forward secrecy would protect nothing.</span>
          ) : mls.value ? (
            <span class="block text-mute" data-testid="mls-on">Keys change as people join and leave: a link found later opens nothing already said (it could still join while the room lives, as a new member everyone sees), and whoever leaves reads nothing after. Nobody reads messages from before they joined.</span>
          ) : (
            <span class="block text-warn" data-testid="mls-off">Off: the link is the key to everything said in this room, before and after. Whoever holds it (someone who left, or who finds it later in a browser's history) can read what the relay passes on and anything recorded from the wire. Turn it off only if late joiners must read the kept messages; otherwise leave it on.</span>
          )}
        </span>
      </label>
      <label class="flex items-start gap-2 text-sm w-full">
        <input autocomplete="off" type="checkbox" class="mt-1" checked={listed.value} onChange={(e) => (listed.value = (e.currentTarget).checked)} />
        <span>
          Public: list it in the lobby
          <span class="block text-warn">Not private. Anyone who opens the lobby, the relay included, can join and read it.</span>
        </span>
      </label>
      <button class="btn" type="submit" disabled={busy || tooLong}>
        {busy ? 'Creating…' : 'Create room'}
      </button>
    </form>
  );
}
