import { signal, type ReadonlySignal } from '@preact/signals';
import type { MessageMeta } from '../../../protocol/src/content.js';
import type { InboxResult } from '../../../protocol/src/crypto/room-codec.js';
import { createBlobUrl, revokeBlobUrl } from '../media/blob-urls.js';
import type { HeldContent } from './held.js';

export interface ChatMessage {
  id: string;
  mine: boolean;
  /** Relay member id of the sender (pseudonymous, per connection). */
  from: string;
  /** `Ghost#XXXX` and colour from the sender's verified signing key. */
  handle: string;
  colour: string;
  /** `notice`: a line from this app about the room (someone joined or left), not a member's message. */
  kind: 'text' | 'image' | 'notice';
  /** Empty while time-locked or not yet viewed (read-once). */
  body: string;
  imageUrl?: string;
  at: number;
  status: 'sending' | 'sent' | 'failed' | 'received';
  delivered?: number;
  /** Time-locked until this epoch ms (enforced by this app only). */
  releaseAt?: number;
  /** True while the content is held back (time-lock not yet passed, or read-once not yet viewed). */
  held?: boolean;
  /** Read-once: removed from memory and screen after viewing (enforced by this app only). */
  once?: boolean;
  /** Sending progress of a multi-frame message, 0–1. */
  progress?: number;
  /** A read-once message that was viewed and burned here: only this placeholder is left. */
  viewed?: boolean;
}

/** The conversation as the page shows it: one list signal, changed only through these methods. */
export class MessageView {
  private readonly list = signal<ChatMessage[]>([]);

  get messages(): ReadonlySignal<ChatMessage[]> {
    return this.list;
  }

  add(msg: ChatMessage): void {
    this.list.value = [...this.list.value, msg];
  }

  update(id: string, patch: Partial<ChatMessage>): void {
    this.list.value = this.list.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
  }

  remove(id: string): void {
    this.list.value = this.list.value.filter((m) => m.id !== id);
  }

  /** A read-once message was viewed: its content (and blob URL) go, a "viewed" placeholder stays so the conversation keeps its shape. */
  burnt(id: string): void {
    this.list.value = this.list.value.map((m) => {
      if (m.id !== id) return m;
      revokeBlobUrl(m.imageUrl);
      const { imageUrl: _gone, ...rest } = m;
      return { ...rest, body: '', held: false, viewed: true };
    });
  }

  /** Revokes every blob URL and forgets every message. */
  clear(): void {
    for (const m of this.list.value) revokeBlobUrl(m.imageUrl);
    this.list.value = [];
  }
}

/** Our own message as it shows the moment it is sent. */
export function ownMessage(id: string, meta: MessageMeta, from: string, label: { handle: string; colour: string } | null, body: string, imageUrl?: string): ChatMessage {
  return {
    id,
    mine: true,
    from,
    handle: label?.handle ?? 'You',
    colour: label?.colour ?? 'inherit',
    kind: meta.k,
    body,
    ...(imageUrl ? { imageUrl } : {}),
    at: meta.at,
    status: 'sending',
    ...(meta.releaseAt !== undefined ? { releaseAt: meta.releaseAt } : {}),
    ...(meta.once ? { once: true } : {}),
  };
}

/** A verified message from another member, and what to hold back (time-locked or read-once) if anything. */
export function receivedMessage(id: string, r: Extract<InboxResult, { status: 'message' }>, now: number): { msg: ChatMessage; held?: HeldContent } {
  const { meta } = r;
  const image = meta.k === 'image' ? new Blob([r.attachment], { type: meta.mime }) : undefined;
  const body = meta.k === 'text' ? meta.body : '';
  const locked = (meta.releaseAt ?? 0) > now;
  const hold = locked || meta.once === true;
  const msg: ChatMessage = {
    id,
    mine: false,
    from: r.signer.memberId,
    handle: r.signer.handle,
    colour: r.signer.colour,
    kind: meta.k,
    body: hold ? '' : body,
    ...(image && !hold ? { imageUrl: createBlobUrl(image) } : {}),
    at: meta.at,
    status: 'received',
    ...(meta.releaseAt !== undefined ? { releaseAt: meta.releaseAt } : {}),
    ...(meta.once ? { once: true } : {}),
    ...(hold ? { held: true } : {}),
  };
  return hold ? { msg, held: { body, ...(image ? { image } : {}) } } : { msg };
}
