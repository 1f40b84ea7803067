import type { ChatMessage } from '../models/room.js';
import { shielded } from '../privacy/shield.js';
import { VirtualList } from './virtual-list.js';

function handle(memberId: string): string {
  return memberId ? `Ghost ${memberId.slice(0, 4)}` : 'Ghost';
}

function status(m: ChatMessage): string {
  switch (m.status) {
    case 'sending':
      return 'sending…';
    case 'failed':
      return 'not sent (offline)';
    case 'sent':
      return `sent · delivered to ${m.delivered ?? 0}`;
    case 'received':
      return '';
  }
}

function Bubble({ m }: { m: ChatMessage }) {
  return (
    <div class={`max-w-[80%] w-fit rounded-xl px-3 py-2 ${m.mine ? 'ml-auto bg-ghost text-ink' : 'bg-panel'}`} data-testid="message">
      {!m.mine && <div class="text-xs text-mute">{handle(m.from)}</div>}
      <div class="whitespace-pre-wrap break-words" data-testid="message-body">
        {m.body}
      </div>
      {m.mine && (
        <div class="text-xs opacity-70" data-testid="message-status">
          {status(m)}
        </div>
      )}
    </div>
  );
}

/** The conversation, newest at the bottom; no selection or context menu, blurred while shielded (best effort). */
export function MessageList({ messages }: { messages: ChatMessage[] }) {
  return (
    <div data-sensitive class={`flex-1 min-h-0 flex flex-col ${shielded.value ? 'blur-md' : ''}`}>
      <VirtualList
        items={messages}
        keyOf={(m) => m.id}
        render={(m) => <Bubble m={m} />}
        label="Messages"
        class="flex-1 overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none"
      />
    </div>
  );
}
