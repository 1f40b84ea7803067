export { mlsSupported, MLS_SUITE, MLS_RETAINED_EPOCHS } from './suite.js';
export { createMember, encodeIdentity, parseIdentity, type MlsIdentity, type MlsMember } from './identity.js';
export { sealJoinRequest, openJoinRequest } from './join-request.js';
export { MlsRoom, type ApplyResult, type OpenResult, type PendingCommit } from './room.js';
export type { MlsOpenError } from './receive.js';
export { mlsSafetyCode } from './safety-code.js';
