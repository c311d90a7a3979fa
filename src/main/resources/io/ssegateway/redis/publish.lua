-- Stores one event in the history of each of its namespaces and publishes it, atomically.
-- Needs Redis 6.2 (XTRIM MINID, exclusive XREVRANGE bounds). Standalone Redis or Sentinel:
-- stream keys are derived from prefixes, not declared, so Redis Cluster is not supported.
--
-- KEYS[1] epoch   KEYS[2] seq   KEYS[3] millis   KEYS[4] namespace index
-- KEYS[5] the record of the Idempotency-Key, only for a keyed publish
-- ARGV[1] an epoch to start if there is none    ARGV[2] max entries per stream
-- ARGV[3] max age in ms     ARGV[4] history key prefix     ARGV[5] horizon key prefix
-- ARGV[6] channel prefix    ARGV[7], ARGV[8] envelope head and tail (the id goes between)
-- ARGV[9] n, the number of namespaces; ARGV[10 .. 9+n] their paths;
-- ARGV[10+n .. 15+n] for a keyed publish: the request's fingerprint, this attempt's id, the
--   event's index in the request, the request's number of events, the key's window in ms, how
--   long an attempt owns the key in ms; all '' otherwise;
-- ARGV[16+n ..] the fields of the stream entry, name and value alternating.
-- Returns { epoch, millis, seq }: the id given to the event. A keyed publish returns
-- { 'published', epoch, millis, seq }, or, publishing nothing: { 'mismatch' }, { 'in-use' },
-- { 'done', id } (this event was published by an earlier attempt) or { 'completed', { ids } }.

-- A number is read from a string by arithmetic ('x' + 0) rather than tonumber(): that converts
-- it twice (strtod each time), and this script does it about ten times per publish.
local maxLen = ARGV[2] + 0
local maxAge = ARGV[3] + 0
local n = ARGV[9] + 0
local k = 10 + n
local keyed = ARGV[k] ~= ''

local time = redis.call('TIME')
local now = time[1] * 1000 + math.floor(time[2] / 1000)

-- The Idempotency-Key, checked before anything is written, and recorded below in this same
-- atomic step as the event: never a key without its event, nor an event without its key. The
-- record is a list: the fingerprint, the attempt that owns it, until when, then the ids.
local recorded = 0
if keyed then
  local index, total = tonumber(ARGV[k + 2]), tonumber(ARGV[k + 3])
  local head = redis.call('LRANGE', KEYS[5], 0, 2)
  if #head > 0 then
    if head[1] ~= ARGV[k] then
      return { 'mismatch' }
    end
    recorded = redis.call('LLEN', KEYS[5]) - 3
    if recorded >= total then
      return { 'completed', redis.call('LRANGE', KEYS[5], 3, -1) }
    end
    if head[2] ~= ARGV[k + 1] and tonumber(head[3]) > now then
      return { 'in-use' }
    end
    if index < recorded then
      return { 'done', redis.call('LINDEX', KEYS[5], 3 + index) }
    end
  end
  -- A step past what is recorded: the record of a batch begun was lost (expired, taken over).
  if index ~= recorded then
    return { 'in-use' }
  end
end

-- Cost: this script runs on Redis' one thread for every publish of the whole cluster, and each
-- redis.call costs about 1 us on top of its command, so calls are few (one MGET, one MSET) and
-- every read of a stream is O(1) from its head. (The age check used before, a reverse range from
-- the cutoff, walked the stream when nothing was older: 115 us of 182 us per publish.) Numbers
-- become strings once each (Lua formats them with sprintf), and arguments that are already
-- strings are passed to Redis as they came.
local state = redis.call('MGET', KEYS[1], KEYS[2], KEYS[3])
local epoch, seq, last = state[1], state[2], state[3]
if not (epoch and seq and last) then
  -- A new life of the history: the first publish ever, or the store lost part of its state
  -- (restart, FLUSHALL, failover, eviction). Whatever history is left belongs to the old life,
  -- whose ids clients may still hold: drop it, so that it is never served under a new epoch.
  for _, ns in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
    redis.call('DEL', ARGV[4] .. ns, ARGV[5] .. ns)
  end
  redis.call('DEL', KEYS[4])
  epoch = ARGV[1]
  seq = 0
  last = '0'
  redis.call('SET', KEYS[1], epoch)
end

-- The clock of Redis may step back (NTP, failover to another host): ids must not.
local ms = last
if now > last + 0 then
  ms = string.format('%d', now)
end
local sq = string.format('%d', seq + 1)
local position = ms .. '-' .. sq
redis.call('MSET', KEYS[2], sq, KEYS[3], ms)

-- At least 1: the exclusive bound '(0-0' below would be an error.
local cutoffMillis = math.max(now - maxAge, 1)

for i = 1, n do
  local path = ARGV[9 + i]
  local stream = ARGV[4] .. path
  local len = redis.call('XLEN', stream)
  -- The oldest entries, read before the add, in one call: those the count bound drops when this
  -- one is added (the newest of them becomes the horizon) or, below the bound, the oldest one.
  -- Only as many as are dropped: each entry read is copied into Lua, and at the bound the first of
  -- them is also the oldest, which is all the age check needs.
  local dropped = len + 1 - maxLen
  local head = len > 0 and redis.call('XRANGE', stream, '-', '+', 'COUNT', dropped > 1 and dropped or '1') or {}
  local trimmed = false
  if dropped > 0 then
    -- Count bound, exact: the newest entry dropped becomes the horizon, so that a resume from
    -- before it is told about the gap.
    trimmed = head[dropped][1]
    redis.call('XADD', stream, 'MAXLEN', ARGV[2], position, unpack(ARGV, k + 6))
  else
    redis.call('XADD', stream, position, unpack(ARGV, k + 6))
  end

  -- Age bound, only when the oldest entry was past it (the event just added never is). The count
  -- trim may have dropped every entry that was: then the reverse read finds none, and the
  -- horizon stays the count trim's.
  local oldest = head[1]
  local oldestMillis = oldest and string.match(oldest[1], '^%d+') + 0
  if oldest and oldestMillis < cutoffMillis then
    local cutoff = string.format('%d-0', cutoffMillis)
    local older = redis.call('XREVRANGE', stream, '(' .. cutoff, '-', 'COUNT', 1)[1]
    if older then
      trimmed = older[1]
      redis.call('XTRIM', stream, 'MINID', cutoff)
    end
  end
  if trimmed then
    -- The horizon only matters while it is within the age bound (replay reports an older id as
    -- a gap by itself), so it expires then rather than being renewed by every publish. Its
    -- millis may be ahead of the clock, which may have stepped back.
    local ahead = (trimmed == oldest[1] and oldestMillis or string.match(trimmed, '^%d+')) - now
    redis.call('SET', ARGV[5] .. path, trimmed, 'PX', ahead > 0 and maxAge + ahead or ARGV[3])
  end

  -- An idle namespace disappears whole once its newest entry is past the age bound.
  redis.call('PEXPIRE', stream, ARGV[3])
  if len == 0 then
    -- A new stream. One that exists is in the index already: the sweep only removes namespaces
    -- whose stream expired, and a new epoch deletes the index and the streams together.
    redis.call('ZADD', KEYS[4], 0, path)
  end
end

local envelope = ARGV[7] .. epoch .. '-' .. position .. ARGV[8]
for i = 1, n do
  redis.call('PUBLISH', ARGV[6] .. ARGV[9 + i], envelope)
end

if keyed then
  local id = epoch .. '-' .. position
  local owned = string.format('%d', now + tonumber(ARGV[k + 5]))
  if recorded == 0 then
    redis.call('RPUSH', KEYS[5], ARGV[k], ARGV[k + 1], owned, id)
  else
    redis.call('LSET', KEYS[5], 1, ARGV[k + 1])
    redis.call('LSET', KEYS[5], 2, owned)
    redis.call('RPUSH', KEYS[5], id)
  end
  -- Bounded memory: a key is remembered for its window after its latest event.
  redis.call('PEXPIRE', KEYS[5], ARGV[k + 4])
  return { 'published', epoch, ms, sq }
end
return { epoch, ms, sq }
