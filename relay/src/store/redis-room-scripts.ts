/**
 * The Lua scripts of a room's keys (`{s<n>}r:<roomId>:*`, one hash slot):
 * create, join, leave, reap, rejoin graces, frames, the backlog and MLS
 * commits. The rules of redis-scripts.ts hold here too: atomic, one slot,
 * every key written with its expiry in the same script, expiries floored,
 * records decoded with pcall. Room scripts that take every room key get them
 * in roomSlotKeys order: room, members, seq, heat, backlog, recent, epoch.
 */

/** KEYS: room. ARGV: json, keyExpiresAt. */
export const CREATE_ROOM = `
if redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX') then return 1 end
return 0
`;

/**
 * KEYS: room, members, seq, heat, epoch. ARGV: memberId, `<ghostId> <instanceId>`.
 * Capacity is checked and the member added in one step, so instances cannot
 * race past it; seq and epoch are read in the same step. Returns
 * {result, roomJson, seq, epoch, nOthers, others..., [instances...]}:
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
local epoch = tonumber(redis.call('GET', KEYS[5]) or '0') or 0
local result = 'ok'
if not here and #all / 2 >= tonumber(r.capacity) then
  result = 'full'
else
  local exp = math.floor(tonumber(r.expiresAt))
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  for _, k in ipairs(KEYS) do redis.call('PEXPIREAT', k, exp) end
end
local out = {result, raw, seq, epoch, #others}
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
  for _, i in ipairs({1, 2, 3, 4, 7}) do redis.call('PEXPIREAT', KEYS[i], exp) end
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
 * KEYS: roomSlotKeys. ARGV: memberId, now, graceMs,
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
 * KEYS: roomSlotKeys. ARGV: instanceId, now, graceMs, rejoinGraceMs.
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
 * Shared by SEND_FRAMES and COMMIT (KEYS: roomSlotKeys; ARGV from 1: now,
 * heatTauMs, head, backlog max, publish command ('PUBLISH' or 'SPUBLISH'), channel, epoch (COMMIT's; '' for frames), n, then for each of the n
 * messages: tail, bus header, backlog entry expiresAt). Numbers the next n
 * messages of the room in ARGV order, warms a public room's heat by n
 * (policy.warmHeat n times at one `now`), keeps each in the backlog (scored by
 * seq, trimmed to the newest max, the key expiring with its newest entry,
 * never sooner), and publishes each to the other instances as its own bus
 * message. Message i is head .. seq .. tail_i, byte for byte what the caller
 * builds locally. Returns the first seq, members.
 */
const NUMBER_AND_SEND = `
local function send(exp)
  local now = tonumber(ARGV[1])
  local n = tonumber(ARGV[8])
  local last = redis.call('INCRBY', KEYS[3], n)
  redis.call('PEXPIREAT', KEYS[3], exp)
  if r.public then
    local h = redis.call('HMGET', KEYS[4], 'h', 't')
    local hv = tonumber(h[1]) or 0
    local t = tonumber(h[2]) or now
    hv = hv * math.exp(-math.max(0, now - t) / tonumber(ARGV[2])) + n
    redis.call('HSET', KEYS[4], 'h', tostring(hv), 't', ARGV[1])
    redis.call('PEXPIREAT', KEYS[4], exp)
  end
  -- Each message is built in one concatenation straight from ARGV: a frame is kilobytes, and every
  -- Lua string made of it costs a copy and Lua GC work (an intermediate 'frame' string cost 4–7 µs a call: BENCHMARKS.md, run D).
  local max = tonumber(ARGV[4])
  local first = last - n + 1
  local newest = 0
  for i = 0, n - 1 do
    local s = string.format('%d', first + i)
    local a = 9 + 3 * i
    if max > 0 then
      local bexp = math.floor(math.min(tonumber(ARGV[a + 2]), exp))
      if bexp > newest then newest = bexp end
      redis.call('ZADD', KEYS[5], first + i, s .. '|' .. string.format('%d', bexp) .. '|' .. ARGV[3] .. s .. ARGV[a])
    end
    if ARGV[a + 1] ~= '' then redis.call(ARGV[5], ARGV[6], ARGV[a + 1] .. ARGV[3] .. s .. ARGV[a]) end
  end
  if max > 0 then
    redis.call('ZREMRANGEBYRANK', KEYS[5], 0, -max - 1)
    local ttl = redis.call('PTTL', KEYS[5])
    if ttl < 0 or newest - now > ttl then redis.call('PEXPIREAT', KEYS[5], newest) end
  end
  return first, redis.call('HLEN', KEYS[2])
end
`;

/** Reads the room record into `r` (nil when the room is gone or unreadable). */
const READ_ROOM = `
local r
do
  local raw = redis.call('GET', KEYS[1])
  if raw then
    local ok, v = pcall(cjson.decode, raw)
    if ok and type(v) == 'table' and tonumber(v.expiresAt) then r = v end
  end
end
`;

/**
 * KEYS: roomSlotKeys. ARGV: see NUMBER_AND_SEND (epoch ''). Numbers, keeps
 * and publishes the frames one instance got for the room in one turn of its
 * event loop: one round trip, and one script call, for all of them. Returns
 * {first seq, members} (frame i has first + i); {0, 0} when the room is gone.
 */
export const SEND_FRAMES = `${READ_ROOM}${NUMBER_AND_SEND}
if not r then return {0, 0} end
local first, members = send(math.floor(tonumber(r.expiresAt)))
return {first, members}
`;

/**
 * KEYS: roomSlotKeys. ARGV: those of NUMBER_AND_SEND with n = 1 and the epoch
 * the commit was made in. The MLS Delivery Service rule (RFC 9420 §14): one
 * commit per epoch. If the room is at that epoch, moves it to the next (the
 * epoch key living as long as the room key does) and numbers, keeps and
 * publishes the commit as SEND_FRAMES does a frame; else refuses it.
 * Returns {'ok', new epoch, seq, members} | {'stale', current epoch} | {'gone', 0}.
 */
export const COMMIT = `${READ_ROOM}${NUMBER_AND_SEND}
if not r then return {'gone', 0} end
local cur = tonumber(redis.call('GET', KEYS[7]) or '0') or 0
if cur ~= tonumber(ARGV[7]) then return {'stale', cur} end
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then return {'gone', 0} end
local exp = math.floor(tonumber(r.expiresAt))
redis.call('SET', KEYS[7], string.format('%d', cur + 1), 'PXAT', math.floor(math.min(exp, tonumber(ARGV[1]) + left)))
local seq, members = send(exp)
return {'ok', cur + 1, seq, members}
`;

/**
 * KEYS: backlog. ARGV: member, max, expiresAt, seq, now.
 * The backlog append on its own (frames numbered elsewhere); see SEND_FRAMES.
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
