/**
 * Every Lua script of the Redis store (typed wrappers: redis-commands.ts).
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

/** KEYS: room. ARGV: json, keyExpiresAt. */
export const CREATE_ROOM = `
if redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX') then return 1 end
return 0
`;

/**
 * KEYS: room, members, seq, heat. ARGV: memberId, `<ghostId> <instanceId>`.
 * Capacity is checked and the member added in one step, so instances cannot
 * race past it. Returns {result, roomJson, seq, nOthers, others..., [instances...]}:
 * on 'full', the distinct instances holding members follow, so the caller
 * can tell whether a dead instance's members fill the room.
 */
export const JOIN_ROOM = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {'gone'} end
local ok, r = pcall(cjson.decode, raw)
if not ok or type(r) ~= 'table' or not tonumber(r.capacity) or not tonumber(r.expiresAt) then return {'bad', raw} end
local all = redis.call('HGETALL', KEYS[2])
local others, insts, seen, here = {}, {}, {}, false
for i = 1, #all, 2 do
  if all[i] == ARGV[1] then here = true else others[#others + 1] = all[i] end
  local inst = string.match(all[i + 1], ' (.+)$')
  if inst and not seen[inst] then
    seen[inst] = true
    insts[#insts + 1] = inst
  end
end
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local result = 'ok'
if not here and #all / 2 >= tonumber(r.capacity) then
  result = 'full'
else
  local exp = math.floor(tonumber(r.expiresAt))
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  for _, k in ipairs(KEYS) do redis.call('PEXPIREAT', k, exp) end
end
local out = {result, raw, seq, #others}
for _, m in ipairs(others) do out[#out + 1] = m end
if result == 'full' then
  for _, x in ipairs(insts) do out[#out + 1] = x end
end
return out
`;

/**
 * Shared by LEAVE_ROOM and REAP_ROOM: once empty, the room and its keys end
 * after the grace; `mark` gives a leaving ghost of a room with invites its
 * rejoin grace (KEYS[6], a hash whose key expires with its latest grace,
 * never past the room's end).
 */
const GRACE_WHEN_EMPTY = `
local function grace(now, graceMs)
  if redis.call('HLEN', KEYS[2]) > 0 then return 0 end
  local raw = redis.call('GET', KEYS[1])
  if not raw then return 0 end
  local ok, r = pcall(cjson.decode, raw)
  if not ok or type(r) ~= 'table' or not tonumber(r.expiresAt) then return 0 end
  local exp = math.floor(math.min(tonumber(r.expiresAt), now + graceMs))
  for i = 1, 4 do redis.call('PEXPIREAT', KEYS[i], exp) end
  local b = redis.call('PTTL', KEYS[5])
  if b > exp - now then redis.call('PEXPIREAT', KEYS[5], exp) end
  return exp
end

local function mark(v, now, ms)
  if ms <= 0 or not v then return 0 end
  local ghost = string.match(v, '^(%S+) ')
  if not ghost then return 0 end
  local raw = redis.call('GET', KEYS[1])
  if not raw then return 0 end
  local ok, r = pcall(cjson.decode, raw)
  if not ok or type(r) ~= 'table' or r.invites ~= true or not tonumber(r.expiresAt) then return 0 end
  local exp = math.floor(math.min(now + ms, tonumber(r.expiresAt)))
  if exp <= now then return 0 end
  redis.call('HSET', KEYS[6], ghost, exp)
  local t = redis.call('PTTL', KEYS[6])
  if t < 0 or now + t < exp then redis.call('PEXPIREAT', KEYS[6], exp) end
  return 1
end
`;

/**
 * KEYS: room, members, seq, heat, backlog, recent. ARGV: memberId, now, graceMs,
 * rejoinGraceMs, ghost to forget ('' or a ghost id whose rejoin grace ends now).
 * Returns {members left, new expiry or 0, 1 if a rejoin grace was given}.
 */
export const LEAVE_ROOM = `${GRACE_WHEN_EMPTY}
local v = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[5] ~= '' then redis.call('HDEL', KEYS[6], ARGV[5]) end
local marked = mark(v, tonumber(ARGV[2]), tonumber(ARGV[4]))
local exp = grace(tonumber(ARGV[2]), tonumber(ARGV[3]))
return {redis.call('HLEN', KEYS[2]), exp, marked}
`;

/**
 * KEYS: room, recent. ARGV: ghostId, now, ms. Gives the ghost a rejoin grace
 * in a room with invites (never shortening one it has, never past the room's
 * end); the key expires with its latest grace. Returns 1 if granted.
 */
export const GRANT_REJOIN = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, r = pcall(cjson.decode, raw)
if not ok or type(r) ~= 'table' or r.invites ~= true or not tonumber(r.expiresAt) then return 0 end
local now = tonumber(ARGV[2])
local exp = math.floor(math.min(now + tonumber(ARGV[3]), tonumber(r.expiresAt)))
if exp <= now then return 0 end
local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') or 0
if cur < exp then redis.call('HSET', KEYS[2], ARGV[1], exp) end
local t = redis.call('PTTL', KEYS[2])
if t < 0 or now + t < exp then redis.call('PEXPIREAT', KEYS[2], exp) end
return 1
`;

/**
 * KEYS: room, members, seq, heat, backlog, recent. ARGV: instanceId, now, graceMs, rejoinGraceMs.
 * Removes the members a dead instance held (their ghosts may rejoin: their sockets dropped).
 * Returns {new expiry or 0, removed member ids...}.
 */
export const REAP_ROOM = `${GRACE_WHEN_EMPTY}
local all = redis.call('HGETALL', KEYS[2])
local out = {0}
for i = 1, #all, 2 do
  if string.match(all[i + 1], ' (.+)$') == ARGV[1] then
    redis.call('HDEL', KEYS[2], all[i])
    mark(all[i + 1], tonumber(ARGV[2]), tonumber(ARGV[4]))
    out[#out + 1] = all[i]
  end
end
if #out > 1 then out[1] = grace(tonumber(ARGV[2]), tonumber(ARGV[3])) end
return out
`;

/**
 * KEYS: room, members, seq, heat, backlog.
 * ARGV: now, heatTauMs, frame head, frame tail, backlog max, backlog entry expiresAt,
 *       publish command ('PUBLISH', 'SPUBLISH' or ''), channel, bus header.
 * Numbers the next frame of the room, warms a public room's heat
 * (policy.warmHeat), keeps it in the backlog (scored by seq, trimmed to the
 * newest max, the key expiring with its newest entry, never sooner), and
 * publishes it to the other instances: one round trip per frame. The frame
 * is head .. seq .. tail, byte for byte what the caller builds locally.
 * Returns {seq, members}; {0, 0} when the room is gone.
 */
export const SEND_FRAME = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {0, 0} end
local ok, r = pcall(cjson.decode, raw)
if not ok or type(r) ~= 'table' or not tonumber(r.expiresAt) then return {0, 0} end
local exp = math.floor(tonumber(r.expiresAt))
local now = tonumber(ARGV[1])
local seq = redis.call('INCR', KEYS[3])
redis.call('PEXPIREAT', KEYS[3], exp)
if r.public then
  local h = redis.call('HMGET', KEYS[4], 'h', 't')
  local hv = tonumber(h[1]) or 0
  local t = tonumber(h[2]) or now
  hv = hv * math.exp(-math.max(0, now - t) / tonumber(ARGV[2])) + 1
  redis.call('HSET', KEYS[4], 'h', tostring(hv), 't', ARGV[1])
  redis.call('PEXPIREAT', KEYS[4], exp)
end
local frame = ARGV[3] .. string.format('%d', seq) .. ARGV[4]
local max = tonumber(ARGV[5])
if max > 0 then
  local bexp = math.floor(math.min(tonumber(ARGV[6]), exp))
  redis.call('ZADD', KEYS[5], seq, string.format('%d', seq) .. '|' .. string.format('%d', bexp) .. '|' .. frame)
  redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -max - 1)
  local ttl = redis.call('PTTL', KEYS[5])
  if ttl < 0 or bexp - now > ttl then redis.call('PEXPIREAT', KEYS[5], bexp) end
end
if ARGV[7] ~= '' then redis.call(ARGV[7], ARGV[8], ARGV[9] .. frame) end
return {seq, redis.call('HLEN', KEYS[2])}
`;

/**
 * KEYS: backlog. ARGV: member, max, expiresAt, seq, now.
 * The backlog append on its own (frames numbered elsewhere); see SEND_FRAME.
 */
export const BACKLOG_APPEND = `
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[2]) - 1)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or tonumber(ARGV[3]) - tonumber(ARGV[5]) > ttl then
  redis.call('PEXPIREAT', KEYS[1], math.floor(tonumber(ARGV[3])))
end
return 1
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
