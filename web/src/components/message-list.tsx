import type { RoomSession } from '../models/room.js';
import { shielded } from '../privacy/shield.js';
import { MessageItem } from './message-item.js';
import { SelfLine } from './self-line.js';
import { VirtualList } from './virtual-list.js';

/** The conversation, newest at the bottom; no selection or context menu, blurred while shielded (best effort). */
export function MessageList({ room }: { room: RoomSession }) {
  return (
    <div data-sensitive class={`flex-1 min-h-0 flex flex-col ${shielded.value ? 'blur-md' : ''}`} data-testid="message-area">
      <VirtualList
        items={room.messages.value}
        keyOf={(m) => m.id}
        render={(m) => <MessageItem m={m} onReveal={(id) => room.reveal(id)} onBurn={(id) => room.burn(id)} />}
        label="Messages"
        class="flex-1 overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none"
        before={<SelfLine room={room} />}
        countsAsNew={(m) => !m.mine}
      />
    </div>
  );
}
