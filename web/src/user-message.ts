/**
 * The one way an error reaches the screen. Errors this app wrote for people
 * (the relay's own sentences, media, scanner and invite errors) pass through;
 * anything else (a TypeError, a DOMException, a browser's internal wording)
 * becomes a sentence that says what to do, so no raw exception is ever shown.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** Error classes whose messages are sentences for people, by name (so this file imports none of them). */
const USER_FACING = new Set(['UserError', 'ApiError', 'MediaError', 'ScanError']);

export const FALLBACK_MESSAGE = 'Something went wrong. Try again; if it keeps happening, reload the page.';

/** A sentence to show for `err`: its own message if it was written for people, else `fallback`. */
export function userMessage(err: unknown, fallback = FALLBACK_MESSAGE): string {
  if (err instanceof Error && USER_FACING.has(err.name) && err.message.trim()) return err.message;
  return fallback;
}
