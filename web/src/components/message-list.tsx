import type { RoomSession } from '../models/room.js';
import { shielded } from '../privacy/shield.js';
import { MessageItem } from './message-item.js';
import { SelfLine } from './self-line.js';
import { VirtualList } from './virtual-list.js';

/** The conversation, newest at the bottom; no selection or context menu, blurred while shielded (best effort). */
export function MessageList({ room }: { room: RoomSession }) {
  return (
    <div data-sensitive class={`flex-1 min-h-0 flex flex-col ${shielded.value ? 'blur-md' : ''}`} data-testid="message-area">
      {room.lookalikes.value.length > 1 && (
        <p role="alert" class="m-0 p-3 text-warn text-sm" data-testid="lookalike-warning">
          Two people here look alike: {room.lookalikes.value.map((h, i) => (
            <span key={h}>
              {i > 0 && ' and '}
              <bdi>{h}</bdi>
            </span>
          ))}{' '}
          are different keys with handles that can be mistaken for each other. Their messages are marked; tap a name to see its key code and compare it
          with them in person before you trust either.
        </p>
      )}
      {room.replays.value > 0 && (
        <p role="alert" class="m-0 p-3 text-warn text-sm" data-testid="replay-notice">
          {room.replays.value} repeated {room.replays.value === 1 ? 'copy' : 'copies'} of messages already shown {room.replays.value === 1 ? 'was' : 'were'} dropped. The relay, or
          someone who recorded this room's traffic, sent {room.replays.value === 1 ? 'it' : 'them'} again; nothing was shown twice.
        </p>
      )}
      <VirtualList
        items={room.messages.value}
        keyOf={(m) => m.id}
        render={(m) => <MessageItem m={m} onReveal={(id) => room.reveal(id)} onBurn={(id) => room.burn(id)} />}
        label="Messages"
        class="flex-1 overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none"
        before={<SelfLine room={room} />}
        countsAsNew={(m) => !m.mine && m.kind !== 'notice'}
      />
    </div>
  );
}
