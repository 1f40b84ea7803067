/**
 * Lua scripts of the Redis store. Each runs atomically, and every key it
 * creates gets its expiry inside the same script, so no key is ever seen
 * without a TTL. Numbers that become expiries are floored: Redis formats Lua
 * numbers with %.17g, and PEXPIREAT needs an integer.
 */

/** KEYS: ghost, zghosts. ARGV: json, expiresAt, zmember, zttl. */
export const CREATE_GHOST = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
`;

/** KEYS: ghost, gkeys, zghosts. ARGV: now, sessionTtl, tokenHash or ''. Returns {json, expiresAt} or nil. */
export const TOUCH_GHOST = `
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local g = cjson.decode(raw)
if ARGV[3] ~= '' and g.tokenHash ~= ARGV[3] then return nil end
local now = tonumber(ARGV[1])
local cur = now + redis.call('PTTL', KEYS[1])
local exp = math.floor(math.min(now + tonumber(ARGV[2]), g.hardExpiresAt))
if exp > cur then
  redis.call('PEXPIREAT', KEYS[1], exp)
  redis.call('PEXPIREAT', KEYS[2], exp)
  redis.call('ZADD', KEYS[3], 'XX', exp, string.format('%d:%s', g.createdAt, g.id))
  cur = exp
end
return {raw, cur}
`;

/**
 * KEYS: ghost, gkeys, zghosts, ended counter, ended-ms counter. ARGV: now, counter ttl.
 * Deletes the ghost and its index; returns the index entries for the caller to undo.
 */
export const DESTROY_GHOST = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local g = cjson.decode(raw)
local entries = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], string.format('%d:%s', g.createdAt, g.id))
redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
redis.call('INCRBY', KEYS[5], math.max(0, tonumber(ARGV[1]) - g.createdAt))
redis.call('PEXPIRE', KEYS[5], ARGV[2])
return entries
`;

/** KEYS: room, zrooms, zpublic. ARGV: json, keyExpiresAt, roomId, public ('1'/'0'), zttl. */
export const CREATE_ROOM = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX') then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
return 1
`;

/**
 * KEYS: room, members, ghost, gkeys, seq, heat, zrooms, zpublic.
 * ARGV: memberId, `<ghostId> <instanceId>`, roomId, index entry, instance key prefix.
 * Capacity is checked and the member added in one step, so instances cannot race past it.
 * Members held by an instance whose heartbeat key is gone (it crashed) are
 * dropped first, so they neither fill the room nor show up as present.
 * Returns {result, roomJson, seq, other member ids...}.
 */
export const JOIN_ROOM = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {'gone'} end
local r = cjson.decode(raw)
local others = {}
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local inst = string.match(all[i + 1], ' (.+)$')
  if inst and redis.call('EXISTS', ARGV[5] .. inst) == 0 then
    redis.call('HDEL', KEYS[2], all[i])
  elseif all[i] ~= ARGV[1] then
    others[#others + 1] = all[i]
  end
end
local seq = tonumber(redis.call('GET', KEYS[5]) or '0')
local function answer(result)
  local out = {result, raw, seq}
  for _, m in ipairs(others) do out[#out + 1] = m end
  return out
end
local gttl = redis.call('PTTL', KEYS[3])
if gttl <= 0 then return answer('no-ghost') end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 and redis.call('HLEN', KEYS[2]) >= tonumber(r.capacity) then
  return answer('full')
end
local exp = math.floor(r.expiresAt)
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
for _, k in ipairs({KEYS[1], KEYS[2], KEYS[5], KEYS[6]}) do redis.call('PEXPIREAT', k, exp) end
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('PEXPIRE', KEYS[4], gttl)
redis.call('ZADD', KEYS[7], 'XX', exp, ARGV[3])
if r.public then redis.call('ZADD', KEYS[8], 'XX', exp, ARGV[3]) end
return answer('ok')
`;

/**
 * KEYS: room, members, gkeys, seq, heat, zrooms, zpublic. ARGV: memberId, index entry, now, graceMs, roomId.
 * When the last member leaves, the room and its keys end after the grace.
 */
export const LEAVE_ROOM = `
if redis.call('HDEL', KEYS[2], ARGV[1]) == 1 then redis.call('SREM', KEYS[3], ARGV[2]) end
local n = redis.call('HLEN', KEYS[2])
if n == 0 then
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local r = cjson.decode(raw)
    local exp = math.floor(math.min(r.expiresAt, tonumber(ARGV[3]) + tonumber(ARGV[4])))
    for _, k in ipairs({KEYS[1], KEYS[4], KEYS[5]}) do redis.call('PEXPIREAT', k, exp) end
    redis.call('ZADD', KEYS[6], 'XX', exp, ARGV[5])
    if r.public then redis.call('ZADD', KEYS[7], 'XX', exp, ARGV[5]) end
  end
end
return n
`;

/**
 * KEYS: room, members, seq, heat, msg counter. ARGV: now, heatTauMs, counterTtl.
 * Returns {seq, members}; {0, 0} when the room is gone.
 */
export const NEXT_SEQ = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {0, 0} end
local r = cjson.decode(raw)
local exp = math.floor(r.expiresAt)
local seq = redis.call('INCR', KEYS[3])
redis.call('PEXPIREAT', KEYS[3], exp)
if r.public then
  local now = tonumber(ARGV[1])
  local h = redis.call('HMGET', KEYS[4], 'h', 't')
  local hv = tonumber(h[1]) or 0
  local t = tonumber(h[2]) or now
  hv = hv * math.exp(-(now - t) / tonumber(ARGV[2])) + 1
  redis.call('HSET', KEYS[4], 'h', tostring(hv), 't', ARGV[1])
  redis.call('PEXPIREAT', KEYS[4], exp)
end
redis.call('INCR', KEYS[5])
redis.call('PEXPIRE', KEYS[5], ARGV[3])
return {seq, redis.call('HLEN', KEYS[2])}
`;

/**
 * KEYS: bucket, ghost, gkeys. ARGV: capacity, refillPerSecond, now, cost, index entry or ''.
 * Returns {ok, retryAfterMs}.
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
local ok = 0
if tk >= cost then
  tk = tk - cost
  ok = 1
end
redis.call('HSET', KEYS[1], 'tk', tostring(tk), 'ts', ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tk) / rate * 1000) + 1000)
if ARGV[5] ~= '' then
  local gttl = redis.call('PTTL', KEYS[2])
  if gttl > 0 then
    redis.call('SADD', KEYS[3], ARGV[5])
    redis.call('PEXPIRE', KEYS[3], gttl)
  end
end
if ok == 1 then return {1, 0} end
return {0, math.ceil((cost - tk) / rate * 1000)}
`;

/**
 * KEYS: zghosts, ended counter, ended-ms counter. ARGV: now, counterTtl, limit.
 * Moves sessions that expired since the last sweep into the "ended" counters.
 */
export const SWEEP_GHOSTS = `
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local n, ms = 0, 0
for i = 1, #gone, 2 do
  local created = tonumber(string.match(gone[i], '^(%d+):'))
  if created then ms = ms + math.max(0, tonumber(gone[i + 1]) - created) end
  n = n + 1
  redis.call('ZREM', KEYS[1], gone[i])
end
if n > 0 then
  redis.call('INCRBY', KEYS[2], n)
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  redis.call('INCRBY', KEYS[3], ms)
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
end
return n
`;
