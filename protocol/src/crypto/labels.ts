/**
 * HKDF labels (the `info` input, RFC 5869 §3.2). Distinct labels make the
 * derived values independent, so knowing the room id or access key reveals
 * nothing about the content key.
 */
export const HKDF_SALT = 'ghostwire/hkdf-salt/v1';
export const Label = {
  RoomId: 'ghostwire/room-id/v1',
  AccessKey: 'ghostwire/access-key/v1',
  ContentKey: 'ghostwire/content-key/v1',
  SafetyCode: 'ghostwire/room-safety-code/v1',
  /** AES-256-GCM key that seals MLS join requests: only holders of S can ask to be added. */
  InviteKey: 'ghostwire/invite-key/v1',
  /** The MLS group's safety code, from its epoch authenticator (RFC 9420 §8.7), not from S. */
  MlsSafetyCode: 'ghostwire/mls-safety-code/v1',
} as const;

/**
 * Prefix of the AES-GCM additional data of an MLS join request (not an HKDF
 * label): binds the sealed key package to this purpose, room and member id.
 */
export const JOIN_REQUEST_AAD = 'ghostwire/join-request/v1';
