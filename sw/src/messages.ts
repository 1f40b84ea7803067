import * as z from 'zod/mini';

/**
 * Messages between the pages and the service worker. They never leave the
 * device, but they cross a boundary (postMessage), so both sides parse them.
 */
export const toWorkerSchema = z.discriminatedUnion('type', [
  /** A page of the app is alive: a session is open on this device. */
  z.object({ type: z.literal('hello') }),
  /** A page is going away (pagehide): purge if it was the last one. */
  z.object({ type: z.literal('going-away') }),
  /** Panic: purge now, and tell every other tab to wipe itself. */
  z.object({ type: z.literal('wipe') }),
  /** Panic that also removes the app shell and unregisters the worker. */
  z.object({ type: z.literal('deep-wipe') }),
  /** To a waiting worker: the person accepted the update (after the old code checked it), so take over. */
  z.object({ type: z.literal('accept-update') }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

export const fromWorkerSchema = z.discriminatedUnion('type', [
  /** The purge asked for by this page has finished. */
  z.object({ type: z.literal('wiped'), deep: z.boolean() }),
  /** Another tab panicked: wipe this one too, without telling the worker again. */
  z.object({ type: z.literal('panic'), deep: z.boolean() }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;

/**
 * The name of the one cache besides the shell: it holds no entries at all.
 * Its existence alone means "a page was open and the session has not ended
 * cleanly", so the worker knows to purge at its next start after a crash or
 * a killed browser. No content, no time, no room: only this name.
 */
export const SESSION_MARKER_CACHE = 'ghostwire-session-open';

/** How long the worker waits after the last page said goodbye before purging (a reload comes back sooner). */
export const CLOSE_GRACE_MS = 1500;
