import { ErrorCode } from '../../../protocol/src/codes.js';
import { RelayError } from '../errors.js';

/** The sentence people see while the store is down (HTTP 503; on /ws, close 4503). */
export const STORE_DOWN_MESSAGE = 'The relay cannot reach its database right now. Nothing was changed; try again in a minute.';

/** The error every store operation fails with while the store cannot be reached. */
export const storeUnavailable = (): RelayError => new RelayError(503, ErrorCode.Unavailable, STORE_DOWN_MESSAGE);
