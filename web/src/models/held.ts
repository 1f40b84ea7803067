import { READ_ONCE_VIEW_MS } from '../../../protocol/src/limits.js';
import { createBlobUrl, revokeBlobUrl } from '../media/blob-urls.js';

/** Content not yet on screen: a time-locked message before its release, a read-once message before viewing. */
export interface HeldContent {
  body: string;
  image?: Blob;
}

export interface HeldHooks {
  /** Puts content on screen (release or reveal). */
  show(id: string, body: string, imageUrl: string | undefined): void;
  /** Removes a message from memory and screen (after a read-once view). */
  remove(id: string): void;
}

/**
 * Holds time-locked and read-once content out of the message list until it
 * may be shown, and burns read-once content after one view. Enforced by this
 * app only: the decrypted bytes are on the device, so a modified client
 * could show them early or keep them; the UI says so.
 */
export class HeldMessages {
  private readonly held = new Map<string, HeldContent>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly hooks: HeldHooks,
    private readonly viewMs = READ_ONCE_VIEW_MS,
  ) {}

  /** Holds content until `releaseAt` (epoch ms); `once` content stays held after release until revealed. */
  hold(id: string, content: HeldContent, releaseAt: number | undefined, once: boolean, now = Date.now()): void {
    this.held.set(id, content);
    if (releaseAt !== undefined && releaseAt > now) {
      this.timers.set(id, setTimeout(() => this.release(id, once), releaseAt - now));
    } else if (!once) {
      this.release(id, once);
    }
  }

  private release(id: string, once: boolean): void {
    this.timers.delete(id);
    if (once) return this.hooks.show(id, '', undefined);
    this.reveal(id, false);
  }

  /** Shows held content; a read-once message is removed `viewMs` later (or at burn()). */
  reveal(id: string, once = true): boolean {
    const c = this.held.get(id);
    if (!c || this.timers.has(id)) return false;
    const url = c.image ? createBlobUrl(c.image) : undefined;
    if (url) this.urls.set(id, url);
    this.hooks.show(id, c.body, url);
    this.held.delete(id);
    if (once) this.timers.set(id, setTimeout(() => this.burn(id), this.viewMs));
    return true;
  }

  /** Removes a message's content from memory and screen now. */
  burn(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.held.delete(id);
    revokeBlobUrl(this.urls.get(id));
    this.urls.delete(id);
    this.hooks.remove(id);
  }

  isHeld(id: string): boolean {
    return this.held.has(id);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const url of this.urls.values()) revokeBlobUrl(url);
    this.timers.clear();
    this.held.clear();
    this.urls.clear();
  }
}
