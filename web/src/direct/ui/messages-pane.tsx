import { Component } from 'preact';
import { VirtualList } from '../../components/virtual-list.js';
import type { DirectMessage } from '../message-log.js';
import { MessageRow } from './message-row.js';

interface Props {
  messages: readonly DirectMessage[];
  blurred: boolean;
  sendable: boolean;
}

/**
 * The conversation. Renders again only when the messages array (replaced at
 * most once per MessageLog flush) or the blur changes, not for every counter
 * the session updates while a peer floods.
 */
export class MessagesPane extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    return next.messages !== this.props.messages || next.blurred !== this.props.blurred || next.sendable !== this.props.sendable;
  }

  override render({ messages, blurred, sendable }: Props) {
    return (
      <div class={`flex-1 min-h-0 flex flex-col ${blurred ? 'blur-md' : ''}`}>
        {messages.length === 0 && (
          <p class="m-auto p-6 text-sm text-mute text-center">
            {sendable ? 'Say hello. Messages go straight to the other person, end-to-end encrypted, and are kept nowhere.' : 'Messages will appear here.'}
          </p>
        )}
        <VirtualList
          items={messages}
          keyOf={(m) => m.id}
          render={(m) => <MessageRow m={m} />}
          label="Messages"
          class={`${messages.length ? 'flex-1' : ''} overflow-y-auto list-none m-0 p-3 flex flex-col gap-2 select-none`}
        />
      </div>
    );
  }
}
