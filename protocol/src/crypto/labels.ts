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
} as const;
