import { useSignal } from '@preact/signals';
import { ROOM_DEFAULT_CAPACITY, ROOM_DEFAULT_TTL_SECONDS } from '../../../protocol/src/limits.js';
import type { RoomSettings } from '../models/room.js';

const LIFETIMES: Array<[number, string]> = [
  [15 * 60, '15 minutes'],
  [60 * 60, '1 hour'],
  [ROOM_DEFAULT_TTL_SECONDS, '2 hours'],
  [6 * 60 * 60, '6 hours'],
  [24 * 60 * 60, '24 hours (the maximum)'],
];
const CAPACITIES = [2, 5, 10, ROOM_DEFAULT_CAPACITY, 50, 100];

/** Room settings at creation: how many may join and when the room destroys itself. */
export function CreateRoomForm({ busy, onCreate }: { busy: boolean; onCreate(s: RoomSettings): void }) {
  const capacity = useSignal(ROOM_DEFAULT_CAPACITY);
  const ttl = useSignal(ROOM_DEFAULT_TTL_SECONDS);
  return (
    <form
      class="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        onCreate({ capacity: capacity.value, ttlSeconds: ttl.value });
      }}
    >
      <label class="flex flex-col gap-1 text-sm text-mute">
        Lifetime
        <select class="field" value={ttl.value} onChange={(e) => (ttl.value = Number((e.currentTarget as HTMLSelectElement).value))}>
          {LIFETIMES.map(([s, label]) => (
            <option key={s} value={s}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="flex flex-col gap-1 text-sm text-mute">
        People at most
        <select class="field" value={capacity.value} onChange={(e) => (capacity.value = Number((e.currentTarget as HTMLSelectElement).value))}>
          {CAPACITIES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button class="btn" type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create room'}
      </button>
    </form>
  );
}
