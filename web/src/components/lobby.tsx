import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { toBase64url } from '../../../protocol/src/crypto/bytes.js';
import { readPublicRoomMeta } from '../../../protocol/src/crypto/room-meta.js';
import { publicRoomsResponseSchema } from '../../../protocol/src/messages/rooms-api.js';
import { openInvite } from '../invite.js';

const REFRESH_MS = 15_000;

interface LobbyRoom {
  roomId: string;
  name: string;
  secret: string;
  participants: number;
  capacity: number;
  heat: number;
}

/** Reads the lobby; entries whose meta does not carry a secret deriving their id are left out (nobody could join them). */
async function loadLobby(origin: string): Promise<LobbyRoom[]> {
  const res = await fetch(`${origin}/api/rooms`);
  if (!res.ok) throw new Error(`status ${res.status}`);
  const { rooms } = publicRoomsResponseSchema.parse(await res.json());
  const out: LobbyRoom[] = [];
  for (const r of rooms) {
    const read = r.meta ? await readPublicRoomMeta(r.meta, r.roomId) : null;
    if (read) out.push({ roomId: r.roomId, name: read.name, secret: toBase64url(read.secret), participants: r.participants, capacity: r.capacity, heat: r.heat });
  }
  return out;
}

const heatWord = (h: number) => (h >= 0.66 ? 'busy' : h >= 0.33 ? 'lively' : h > 0 ? 'quiet' : 'silent');

/** The public lobby: rooms anyone can join, busiest first. Labelled as not private wherever it shows. */
export function Lobby({ compact = false }: { compact?: boolean }) {
  const rooms = useSignal<LobbyRoom[] | null>(null);
  const error = useSignal<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      loadLobby(location.origin).then(
        (r) => live && ((rooms.value = r), (error.value = null)),
        () => live && (error.value = 'The lobby could not be loaded. Check your connection; it retries by itself.'),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <section aria-labelledby="lobby-h" class="flex flex-col gap-2" data-testid="lobby">
      <h2 id="lobby-h" class="text-sm text-mute m-0">
        Public rooms
      </h2>
      {compact ? (
        <p class="m-0 text-xs text-warn">Not private: anyone can read these.</p>
      ) : (
        <p class="m-0 text-sm text-warn">Not private: anyone who opens this list, the relay included, can join and read these rooms.</p>
      )}
      {error.value && (
        <p role="alert" class="m-0 text-sm text-bad">
          {error.value}
        </p>
      )}
      {rooms.value === null && !error.value && <p class="m-0 text-sm text-mute">Loading…</p>}
      {rooms.value?.length === 0 && <p class="m-0 text-sm text-mute">No public rooms right now.</p>}
      {rooms.value && rooms.value.length > 0 && (
        <ul class="m-0 p-0 list-none flex flex-col gap-1">
          {rooms.value.map((r) => (
            <li key={r.roomId} class="flex items-center gap-2 text-sm" data-testid="lobby-room">
              <span class="flex-1 min-w-0 break-words">
                <bdi data-testid="lobby-room-name">{r.name}</bdi>
                <span class="block text-mute">
                  {r.participants}/{r.capacity} here · {heatWord(r.heat)} · <span class="text-warn">not private</span>
                </span>
              </span>
              <meter class="w-10" min={0} max={1} value={r.heat} aria-label={`Activity of ${r.name}: ${heatWord(r.heat)}`} />
              <button class="btn-quiet" aria-label={`Join ${r.name} (public, not private)`} onClick={() => openInvite({ kind: 'room', secret: r.secret })}>
                Join
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
