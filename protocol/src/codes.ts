/**
 * WebSocket close codes (4000–4999 is the application range of RFC 6455
 * §7.4.2). Each is sent after a typed `error` frame that says why.
 */
export const CloseCode = {
  /** Normal end: the client left or the room was destroyed. */
  Normal: 1000,
  /** The relay is draining (SIGTERM): reconnect, possibly to another instance. Sent without an error frame. */
  GoingAway: 1001,
  /**
   * A WebSocket message exceeded MAX_WS_MESSAGE_BYTES. The `ws` library closes
   * with this RFC 6455 code before the relay reads the message, so no error frame precedes it.
   */
  MessageTooBig: 1009,
  /** A frame was not valid JSON or did not match any client message schema. */
  ProtocolError: 4400,
  /** The join token was missing, forged, expired or already used. */
  Unauthorized: 4401,
  /** The Origin of the upgrade request is not allowed. */
  ForbiddenOrigin: 4403,
  /** The room does not exist or has expired. */
  RoomGone: 4404,
  /** A frame exceeded the protocol's size limit. */
  TooLarge: 4413,
  /** The room is at capacity. */
  RoomFull: 4409,
  /** The client sent faster than its rate limit. */
  RateLimited: 4429,
  /** The client did not read fast enough and its send buffer overflowed. */
  SlowConsumer: 4408,
  /** No pong arrived within the heartbeat timeout. */
  IdleTimeout: 4410,
  /** The ghost was destroyed (self-destruct or panic). */
  Destroyed: 4411,
  /** The relay's store is unreachable; retry later. */
  Unavailable: 4503,
  /** This ghost already holds MAX_SOCKETS_PER_GHOST sockets on this relay instance. */
  TooManySockets: 4430,
  /** The socket joined no room (on /signal: no direct room or stranger wait) within JOIN_DEADLINE_MS of opening or of leaving its last room. */
  JoinTimeout: 4412,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Error codes carried in `error` frames and HTTP error bodies. */
export const ErrorCode = {
  /** The request or frame did not match its schema. */
  BadRequest: 'bad_request',
  /** A WebSocket frame was not JSON. */
  InvalidJson: 'invalid_json',
  /** A WebSocket frame carried a `v` other than this relay's PROTOCOL_VERSION (an older or newer app): reload to update. Sent before close ProtocolError. */
  UnsupportedVersion: 'unsupported_version',
  /** A WebSocket frame had a `type` this protocol does not know. */
  UnknownType: 'unknown_type',
  /** A frame named a room this socket has not joined. */
  NotJoined: 'not_joined',
  /** Missing, forged, expired or replayed credential. */
  Unauthorized: 'unauthorized',
  /** The room does not exist or expired. */
  RoomNotFound: 'room_not_found',
  /** The room already exists (room ids are derived from a fresh secret). */
  RoomExists: 'room_exists',
  /** The room is at capacity. */
  RoomFull: 'room_full',
  /** The payload exceeds a protocol limit. */
  TooLarge: 'too_large',
  /** Too many requests or frames. */
  RateLimited: 'rate_limited',
  /** This action needs a proof of work right now (the relay is under load): GET /api/pow, solve, retry with it. */
  PowRequired: 'pow_required',
  /** The proof of work was wrong, expired, or already spent. */
  PowInvalid: 'pow_invalid',
  /** This room needs a fresh invite ticket from a member besides the access key. */
  InviteRequired: 'invite_required',
  /** The ghost behind this socket was destroyed (self-destruct or panic). */
  GhostDestroyed: 'ghost_destroyed',
  /** The Origin header is not on the allow-list. */
  ForbiddenOrigin: 'forbidden_origin',
  /** The relay's store is unreachable. */
  Unavailable: 'unavailable',
  /** The socket's send buffer passed SLOW_CONSUMER_BYTES: the client was not reading. */
  SlowConsumer: 'slow_consumer',
  /** No pong arrived within HEARTBEAT_INTERVAL_MS of a ping. */
  IdleTimeout: 'idle_timeout',
  /** The ghost holds too many sockets on this instance. */
  TooManySockets: 'too_many_sockets',
  /** The socket joined nothing within JOIN_DEADLINE_MS. */
  JoinTimeout: 'join_timeout',
  /** Anything else: a bug on the relay. */
  Internal: 'internal',
  /** /signal: a relayed message was sent while no other peer is in the direct room. */
  NoPeer: 'no_peer',
  /** A `commit` was made in an epoch that is not the room's current one (another commit won it): apply the newer commits, re-base, retry. Not fatal. */
  StaleEpoch: 'stale_epoch',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
