import { signal, type ReadonlySignal } from '@preact/signals';
import type { MessageMeta } from '../../../protocol/src/content.js';
import type { InboxResult, ReceivedOrder } from '../../../protocol/src/crypto/room-codec.js';
import type { Ranges } from '../../../protocol/src/crypto/streams.js';
import { neutraliseText } from '../../../protocol/src/display-text.js';
import { createBlobUrl, revokeBlobUrl } from '../media/blob-urls.js';
import { refuseImage } from '../media/image-header.js';
import type { HeldContent } from './held.js';

export interface ChatMessage {
  id: string;
  mine: boolean;
  /** Relay member id of the sender (pseudonymous, per connection). */
  from: string;
  /** `Ghost#XXXX-XXXX-XXXX` and colour from the sender's verified signing key. */
  handle: string;
  colour: string;
  /** `gap`: where messages of one sender's sequence did not arrive. `notice`: a line from this app about the room (someone joined or left), not a member's message. */
  kind: 'text' | 'image' | 'gap' | 'notice';
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
  /** Place in the sender's signed sequence (received messages and gaps). */
  order?: ReceivedOrder;
  /** A gap: how many of the sender's messages did not arrive. */
  missing?: number;
  /** The sender's key code (80 bits, shown on tap for comparing in person). */
  code?: string;
  fingerprint?: string;
  /** Another key in this room shows a handle that looks like this one. */
  lookalike?: boolean;
  /** An image refused before decoding, and why (a sentence shown in its place). */
  refused?: string;
  /** A read-once message that was viewed and burned here: only this placeholder is left. */
  viewed?: boolean;
}

/** Who a gap belongs to. */
export interface GapSender {
  from: string;
  handle: string;
  colour: string;
}

const sameStream = (m: ChatMessage, stream: string): boolean => m.order?.stream === stream;

/** Index of the first item of `stream` numbered above `counter`, or -1. */
const firstAfter = (list: ChatMessage[], stream: string, counter: number): number =>
  list.findIndex((m) => sameStream(m, stream) && m.order!.counter > counter);

function insertAt(list: ChatMessage[], at: number, msg: ChatMessage): ChatMessage[] {
  return at < 0 ? [...list, msg] : [...list.slice(0, at), msg, ...list.slice(at)];
}

/**
 * How long received messages wait to be added together: under a flood from
 * several members, one list update (and one render) per batch instead of one
 * per message keeps the page reading its socket, so the relay never has to
 * drop it as a slow consumer.
 */
const BATCH_MS = 50;

/** The conversation as the page shows it: one list signal, changed only through these methods. */
export class MessageView {
  private readonly list = signal<ChatMessage[]>([]);
  private queue: ChatMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Highest counter on screen per sender stream: a message past it is appended without a search. */
  private readonly top = new Map<string, number>();

  get messages(): ReadonlySignal<ChatMessage[]> {
    return this.list;
  }

  add(msg: ChatMessage): void {
    this.flush();
    this.list.value = [...this.list.value, msg];
  }

  /** Adds a received message in its sender's order (before any later message of the same sender the relay delivered first), batched. */
  addInOrder(msg: ChatMessage): void {
    this.queue.push(msg);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Applies queued received messages in one update. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const list = [...this.list.value];
    for (const msg of this.queue) {
      const o = msg.order;
      if (!o || o.counter > (this.top.get(o.stream) ?? 0)) {
        list.push(msg);
      } else {
        const at = firstAfter(list, o.stream, o.counter);
        if (at < 0) list.push(msg);
        else list.splice(at, 0, msg);
      }
      if (o) this.top.set(o.stream, Math.max(o.counter, this.top.get(o.stream) ?? 0));
    }
    this.queue = [];
    this.list.value = list;
  }

  /** Replaces a sender's gap notices with one per missing range, each just before the message that follows it. */
  setGaps(stream: string, ranges: Ranges, sender: GapSender): void {
    this.flush();
    let list = this.list.value.filter((m) => !(m.kind === 'gap' && sameStream(m, stream)));
    for (const [lo, hi] of ranges) {
      const gap: ChatMessage = {
        id: `gap:${stream}:${lo}`,
        mine: false,
        ...sender,
        kind: 'gap',
        body: '',
        at: 0,
        status: 'received',
        order: { stream, counter: lo },
        missing: hi - lo + 1,
      };
      list = insertAt(list, firstAfter(list, stream, hi), gap);
    }
    this.list.value = list;
  }

  /** Marks every message signed by one of these keys as looking like another member. */
  markLookalike(fingerprints: Set<string>): void {
    this.flush();
    this.list.value = this.list.value.map((m) => (m.fingerprint && fingerprints.has(m.fingerprint) && !m.lookalike ? { ...m, lookalike: true } : m));
  }

  update(id: string, patch: Partial<ChatMessage>): void {
    this.flush();
    this.list.value = this.list.value.map((m) => (m.id === id ? { ...m, ...patch } : m));
  }

  remove(id: string): void {
    this.flush();
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
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const m of [...this.list.value, ...this.queue]) revokeBlobUrl(m.imageUrl);
    this.queue = [];
    this.top.clear();
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
  // Checked on the bytes before anything can decode them (an image bomb declares gigapixels in a few bytes).
  const refused = meta.k === 'image' ? refuseImage(r.attachment, meta.mime) : null;
  if (refused) r.attachment.fill(0);
  const image = meta.k === 'image' && !refused ? new Blob([r.attachment], { type: meta.mime }) : undefined;
  const body = meta.k === 'text' ? neutraliseText(meta.body) : '';
  const locked = (meta.releaseAt ?? 0) > now;
  const hold = locked || meta.once === true;
  const msg: ChatMessage = {
    id,
    mine: false,
    from: r.signer.memberId,
    handle: r.signer.handle,
    colour: r.signer.colour,
    code: r.signer.code,
    fingerprint: r.signer.fingerprint,
    kind: meta.k,
    body: hold ? '' : body,
    ...(image && !hold ? { imageUrl: createBlobUrl(image) } : {}),
    at: meta.at,
    status: 'received',
    ...(meta.releaseAt !== undefined ? { releaseAt: meta.releaseAt } : {}),
    ...(meta.once ? { once: true } : {}),
    ...(hold ? { held: true } : {}),
    ...(refused ? { refused } : {}),
    order: r.order,
  };
  return hold ? { msg, held: { body, ...(image ? { image } : {}) } } : { msg };
}
