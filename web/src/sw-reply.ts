import type { FromWorker } from '../../sw/src/messages.js';

/**
 * Parses a message from the service worker by hand: the page's copy of
 * fromWorkerSchema (sw/src/messages.ts, which stays the reference; a test
 * holds the two to the same answers), so the landing page's initial JS
 * carries no zod. Null for anything else.
 */
export function parseFromWorker(data: unknown): FromWorker | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, deep } = data as { type?: unknown; deep?: unknown };
  if ((type === 'wiped' || type === 'panic') && typeof deep === 'boolean') return { type, deep };
  return null;
}
