import type { OutgoingMessage } from '../../../protocol/src/crypto/room-codec.js';
import type { ChatMessage } from './message-view.js';

/** How long to wait for the relay to acknowledge one media frame before calling the send failed. */
const ACK_TIMEOUT_MS = 30_000;

export interface OutboxDeps {
  /** Our member id on the current connection, or null before the relay said `joined`. */
  member(): string | null;
  isOpen(): boolean;
  /** Signs and seals a message's frames for a member id. */
  seal(member: string, out: OutgoingMessage): Promise<Uint8Array<ArrayBuffer>[]>;
  /** Hands one frame to the relay under `ref`; false when the socket is not open. */
  sendFrame(ref: number, frame: Uint8Array<ArrayBuffer>): boolean;
  /** Changes how one of our messages shows (status, progress, the relay's delivered count). */
  update(id: string, patch: Partial<ChatMessage>): void;
}

/**
 * Our messages on their way to the relay: frame refs, the relay's acks, and
 * text messages kept until acknowledged in full. After a reconnect those are
 * sealed again for the new member id and resent; receivers drop a second copy
 * (same signer, same message id), so nothing is lost or doubled.
 */
export class Outbox {
  /** ref → message id, and how many frames of each message are still unacknowledged. */
  private readonly pending = new Map<number, string>();
  private readonly unacked = new Map<string, number>();
  /** Text messages not yet acknowledged in full. */
  private readonly queued = new Map<string, OutgoingMessage>();
  private readonly ackWaiters = new Map<number, (delivered: number | null) => void>();
  private nextRef = 1;

  constructor(private readonly deps: OutboxDeps) {}

  /** Sends a text message and keeps it until the relay acknowledges every frame. */
  async send(id: string, out: OutgoingMessage): Promise<void> {
    this.queued.set(id, out);
    await this.sendFrames(id, out, false);
  }

  /** Sends a media message one frame at a time, each waiting for the relay's ack; false if it failed. */
  sendPaced(id: string, out: OutgoingMessage, onProgress?: (fraction: number) => void): Promise<boolean> {
    return this.sendFrames(id, out, true, onProgress);
  }

  /** Seals one message for our current member id and hands its frames to the relay. */
  private async sendFrames(id: string, out: OutgoingMessage, paced: boolean, onProgress?: (f: number) => void): Promise<boolean> {
    const member = this.deps.member();
    if (!member || !this.deps.isOpen()) {
      this.deps.update(id, { status: 'failed' });
      return false;
    }
    const frames = await this.deps.seal(member, out);
    this.unacked.set(id, frames.length);
    let delivered = 0;
    for (const [i, frame] of frames.entries()) {
      // A reconnect gives us a new member id; frames signed for the old one would be rejected as forged.
      if (this.deps.member() !== member) return this.fail(id);
      const ref = this.nextRef++;
      this.pending.set(ref, id);
      const acked = paced ? this.waitAck(ref) : null;
      if (!this.deps.sendFrame(ref, frame)) return this.fail(id);
      if (acked) {
        const d = await acked;
        if (d === null) return this.fail(id);
        delivered = d;
        const progress = (i + 1) / frames.length;
        this.deps.update(id, { progress });
        onProgress?.(progress);
      }
    }
    if (paced) this.deps.update(id, { status: 'sent', delivered });
    return true;
  }

  /** After a (re)join: everything the relay never acknowledged goes out again under the new member id. */
  resend(): void {
    if (this.queued.size === 0) return;
    // Refs of the old connection will never be acknowledged.
    for (const [ref, id] of this.pending) if (this.queued.has(id)) this.pending.delete(ref);
    for (const [id, out] of this.queued) {
      this.deps.update(id, { status: 'sending' });
      void this.sendFrames(id, out, false);
    }
  }

  private fail(id: string): false {
    this.unacked.delete(id);
    this.deps.update(id, { status: 'failed' });
    return false;
  }

  private waitAck(ref: number): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ackWaiters.delete(ref);
        resolve(null);
      }, ACK_TIMEOUT_MS);
      this.ackWaiters.set(ref, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });
  }

  /** The relay's `sent` for one frame: how many sockets it says it delivered to. */
  onAck(ref: number, delivered: number): void {
    const id = this.pending.get(ref);
    this.pending.delete(ref);
    const waiter = this.ackWaiters.get(ref);
    this.ackWaiters.delete(ref);
    waiter?.(delivered);
    if (!id || waiter) return;
    const left = (this.unacked.get(id) ?? 1) - 1;
    if (left > 0) return void this.unacked.set(id, left);
    this.unacked.delete(id);
    this.queued.delete(id);
    this.deps.update(id, { status: 'sent', delivered });
  }

  /** The relay refused the frame sent under `ref`. */
  onError(ref: number): void {
    this.ackWaiters.get(ref)?.(null);
  }

  /** Fails every waiting send and forgets everything queued. */
  clear(): void {
    for (const w of this.ackWaiters.values()) w(null);
    this.pending.clear();
    this.unacked.clear();
    this.queued.clear();
    this.ackWaiters.clear();
  }
}
