import type { ErrorCode } from '../../protocol/src/codes.js';

/** The relay's one error type: an HTTP status, a protocol error code and a sentence for people. */
export class RelayError extends Error {
  override name = 'RelayError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
