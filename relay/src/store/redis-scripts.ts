/**
 * The Lua scripts of the Redis store but those of rooms (redis-room-scripts.ts);
 * typed wrappers: redis-commands.ts.
 * Each runs atomically and touches the keys of one hash slot only (see
 * redis-keys.ts), so the same scripts run on one Redis and on a Cluster.
 * Every key a script creates gets its expiry inside the same script, so no
 * key is ever seen without a TTL. Numbers that become expiries are floored:
 * Redis formats Lua numbers with %.17g, and PEXPIREAT needs an integer.
 * Records are decoded with pcall: a record this version cannot read (an
 * older relay in a rolling deploy, a hand edit) comes back raw, for the
 * caller's zod schema to reject with a log line, instead of a script error.
 * The arithmetic mirrors store/policy.ts; the conformance suite holds both to it.
 */

/** KEYS: ghost. ARGV: json, expiresAt. 1 if stored, 0 if the id is taken. */
export const CREATE_GHOST = `
if redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX') then return 1 end
return 0
`;

/**
 * KEYS: ghost, ghost's key index. ARGV: now, sessionTtl, tokenHash or ''.
 * Slides the session (policy.slideSession). Returns {json, expiresAt, moved} or nil.
 */
export const TOUCH_GHOST = `
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local ok, g = pcall(cjson.decode, raw)
if not ok or type(g) ~= 'table' or not tonumber(g.hardExpiresAt) then return {raw, 0, 0} end
if ARGV[3] ~= '' and g.tokenHash ~= ARGV[3] then return nil end
local now = tonumber(ARGV[1])
local cur = now + redis.call('PTTL', KEYS[1])
local exp = math.floor(math.min(now + tonumber(ARGV[2]), tonumber(g.hardExpiresAt)))
if exp > cur then
  redis.call('PEXPIREAT', KEYS[1], exp)
  redis.call('PEXPIREAT', KEYS[2], exp)
  return {raw, exp, 1}
end
return {raw, cur, 0}
`;

/**
 * KEYS: ghost, ghost's key index. Deletes the ghost, its index and the keys
 * the index lists (its buckets share its slot). Returns {json, membership
 * entries...} for the caller to undo in the rooms' slots, or nil.
 */
export const DESTROY_GHOST = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local out = {raw}
for _, e in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if string.sub(e, 1, 2) == 'k:' then redis.call('DEL', string.sub(e, 3)) else out[#out + 1] = e end
end
redis.call('DEL', KEYS[1], KEYS[2])
return out
`;

/** KEYS: ghost, ghost's key index. ARGV: entry. Adds an entry while the ghost lives; returns the ghost's PTTL, 0 if it is gone. */
export const GHOST_ENTRY = `
local t = redis.call('PTTL', KEYS[1])
if t <= 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], t)
return t
`;

/**
 * KEYS: bucket, and with a ghost: ghost, ghost's key index.
 * ARGV: capacity, refillPerSecond, now, cost, index entry. Returns {ok, retryAfterMs}.
 * The arithmetic is policy.takeFromBucket's.
 */
export const TAKE_TOKEN = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 'tk', 'ts')
local tk = tonumber(b[1]) or cap
local ts = tonumber(b[2]) or now
tk = math.min(cap, tk + math.max(0, now - ts) / 1000 * rate)
local before = tk
local ok = 0
if tk >= cost then
  tk = tk - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 'tk', tostring(tk), 'ts', ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tk) / rate * 1000) + 1000)
if #KEYS == 3 then
  local gttl = redis.call('PTTL', KEYS[2])
  if gttl > 0 then
    redis.call('SADD', KEYS[3], ARGV[5])
    redis.call('PEXPIRE', KEYS[3], gttl)
  end
end
if ok == 1 then return {1, 0} end
return {0, math.ceil((cost - before) / rate * 1000)}
`;

/**
 * KEYS: a sorted-set index scored by expiry. ARGV: score, member, '1' to only
 * update an existing member, now. The index expires with its latest member
 * (never later), so it is never kept past the things it lists.
 */
export const INDEX_ADD = `
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[2])
else
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
end
local s = math.floor(tonumber(ARGV[1]))
local now = tonumber(ARGV[4])
local t = redis.call('PTTL', KEYS[1])
if t == -1 or (t >= 0 and s - now > t) then redis.call('PEXPIREAT', KEYS[1], s) end
return 1
`;

/** KEYS: a set. ARGV: member, expiresAt, now. Adds and makes the set live at least until expiresAt. */
export const SET_ADD_UNTIL = `
redis.call('SADD', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
local exp = math.floor(tonumber(ARGV[2]))
if t < 0 or exp - tonumber(ARGV[3]) > t then redis.call('PEXPIREAT', KEYS[1], exp) end
return 1
`;

/**
 * KEYS: live-ghost index. ARGV: now, limit. Removes sessions that expired
 * since the last sweep; returns {count, their summed length in ms} for the
 * "ended" counters. Two instances sweeping at once count each session once.
 */
export const SWEEP_GHOSTS = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local n, ms = 0, 0
for i = 1, #gone, 2 do
  local created = tonumber(string.match(gone[i], '^(%d+):'))
  if created then ms = ms + math.max(0, tonumber(gone[i + 1]) - created) end
  n = n + 1
  redis.call('ZREM', KEYS[1], gone[i])
end
return {n, ms}
`;

/** KEYS: epoch. ARGV: fresh id, ttl. The store's epoch, made on first use. */
export const EPOCH = `
local e = redis.call('GET', KEYS[1])
if e then return e end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`;

/**
 * KEYS: a direct room's peers. ARGV: peerId, instanceId, now, ttlMs.
 * A direct room holds two peers and ends SIGNAL_TTL_SECONDS after it opened
 * (its expiry is set once, never slid). Returns {result, expiresAt, otherId, otherInstance}.
 */
export const SIGNAL_JOIN = `
local exp = tonumber(redis.call('HGET', KEYS[1], '~exp') or '0')
local now = tonumber(ARGV[3])
if exp <= now then
  redis.call('DEL', KEYS[1])
  exp = math.floor(now + tonumber(ARGV[4]))
end
local all = redis.call('HGETALL', KEYS[1])
local other, otherInst, n = '', '', 0
for i = 1, #all, 2 do
  if all[i] ~= '~exp' then
    n = n + 1
    other, otherInst = all[i], all[i + 1]
  end
end
if n >= 2 then return {'full', exp, '', ''} end
redis.call('HSET', KEYS[1], '~exp', exp, ARGV[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], exp)
return {'ok', exp, other, otherInst}
`;

/** KEYS: a direct room's peers. ARGV: peerId. Forgets the room at once when its last peer left. */
export const SIGNAL_LEAVE = `
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end
return 1
`;

/** KEYS: a new direct room's peers. ARGV: peer a, instance a, peer b, instance b, expiresAt. */
export const SIGNAL_PAIR = `
redis.call('HSET', KEYS[1], '~exp', ARGV[5], ARGV[1], ARGV[2], ARGV[3], ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1
`;

/**
 * KEYS: the strangers' queue. ARGV: `<peerId> <instanceId> <expiresAt>`, now, max waiting.
 * Pairs with the oldest live waiting stranger, or queues this one. The queue
 * expires with its newest entry. Returns {'paired', mate entry} | {'waiting'} | {'busy'}.
 */
export const SIGNAL_STRANGER = `
local now = tonumber(ARGV[2])
while true do
  local e = redis.call('LPOP', KEYS[1])
  if not e then break end
  local exp = tonumber(string.match(e, ' (%d+)$') or '0')
  if exp > now then return {'paired', e} end
end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[3]) then return {'busy'} end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], tonumber(string.match(ARGV[1], ' (%d+)$')))
return {'waiting'}
`;
