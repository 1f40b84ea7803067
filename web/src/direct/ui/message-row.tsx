import { Component } from 'preact';
import type { DirectMessage, Delivery } from '../message-log.js';

const DELIVERY: Record<Delivery, string> = {
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not sent: no connection',
};

const time = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * One message bubble. The body is isolated (dir="auto" on its own element) so
 * it cannot reorder the app's words around it. A row renders again only when
 * its message object changes (MessageLog replaces it on a delivery change), so
 * a new message does not re-render every row above it.
 */
export class MessageRow extends Component<{ m: DirectMessage }> {
  override shouldComponentUpdate(next: { m: DirectMessage }): boolean {
    return next.m !== this.props.m;
  }

  override render({ m }: { m: DirectMessage }) {
    return row(m);
  }
}

function row(m: DirectMessage) {
  return (
    <div class={`flex ${m.mine ? 'justify-end' : 'justify-start'}`}>
      <div class={`max-w-[80%] rounded-xl px-3 py-2 ${m.mine ? 'bg-ghost text-ink' : 'bg-panel'}`} data-testid="message" data-mine={m.mine ? 'true' : 'false'}>
        <div class="whitespace-pre-wrap break-words" dir="auto" style={{ unicodeBidi: 'isolate' }} data-testid="message-body">
          {m.body}
        </div>
        <div class="text-xs opacity-75 mt-1 flex gap-2 justify-end">
          <time>{time(m.at)}</time>
          {m.mine && m.delivery && (
            <span data-testid="delivery" data-delivery={m.delivery} title={m.delivery === 'delivered' ? 'Their app confirmed it with an encrypted receipt' : undefined}>
              {DELIVERY[m.delivery]}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}
