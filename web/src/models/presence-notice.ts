import type { ChatMessage } from './message-view.js';

let seq = 0;

/**
 * "Ghost#X joined" / "left": a line in the conversation when the relay says a
 * member came or went. A member's name is known only once their signed message
 * arrived (`known`), so a newcomer is "a ghost" until they write.
 */
export function presenceNotice(event: 'join' | 'leave', member: string, known: readonly ChatMessage[], now = Date.now()): ChatMessage {
  const last = [...known].reverse().find((m) => m.from === member && !m.mine && m.kind !== 'notice');
  const who = last ? last.handle : 'A ghost';
  return {
    id: `notice:${++seq}`,
    mine: false,
    from: '',
    handle: '',
    colour: 'inherit',
    kind: 'notice',
    body: event === 'join' ? `${who} joined` : `${who} left`,
    at: now,
    status: 'received',
  };
}
