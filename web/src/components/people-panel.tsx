import type { RoomSession } from '../models/room.js';

/** The sender's colour as a dot: the name itself stays in the text colour, readable on either theme. */
const Dot = ({ colour }: { colour: string }) => <span aria-hidden="true" class="inline-block w-2 h-2 rounded-full" style={{ background: colour }} />;

/**
 * Who is in the room. A member's name comes from their verified signing key,
 * which this tab learns from their first message; until then they are shown
 * as a ghost who has not written yet (the relay's member ids mean nothing to people).
 */
export function PeoplePanel({ room, onDone }: { room: RoomSession; onDone(): void }) {
  const names = new Map<string, { handle: string; colour: string }>();
  for (const m of room.messages.value) if (!m.mine && m.from) names.set(m.from, { handle: m.handle, colour: m.colour });
  const self = room.self.value;
  const others = room.members.value;
  const silent = others.filter((id) => !names.has(id)).length;
  return (
    <section aria-labelledby="people-h" class="p-3 border-b border-line flex flex-col gap-2" data-testid="people-panel">
      <div class="flex items-center gap-2">
        <h2 id="people-h" class="text-base m-0 flex-1">
          {others.length + 1} in this room
        </h2>
        <button type="button" class="btn-quiet" onClick={onDone}>
          Done
        </button>
      </div>
      <ul class="m-0 pl-0 list-none flex flex-col gap-1" data-testid="people">
        {self && (
          <li>
            <Dot colour={self.colour} /> {self.handle} <span class="text-mute">(you)</span>
          </li>
        )}
        {others
          .filter((id) => names.has(id))
          .map((id) => {
            const n = names.get(id)!;
            return (
              <li key={id} data-testid="person">
                <Dot colour={n.colour} /> {n.handle}
              </li>
            );
          })}
        {silent > 0 && <li class="text-mute">{silent === 1 ? '1 ghost who has not written yet' : `${silent} ghosts who have not written yet`}</li>}
      </ul>
      <p class="m-0 text-xs text-mute">A name is made from that person’s key for this room only: the same person has a different name in every room.</p>
    </section>
  );
}
