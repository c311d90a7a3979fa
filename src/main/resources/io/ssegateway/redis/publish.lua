-- Stores one event in the history of each of its namespaces and publishes it, atomically.
-- Needs Redis 6.2 (XTRIM MINID, exclusive XREVRANGE bounds). Standalone Redis or Sentinel:
-- stream keys are derived from prefixes, not declared, so Redis Cluster is not supported.
--
-- KEYS[1] epoch   KEYS[2] seq   KEYS[3] millis   KEYS[4] namespace index
-- ARGV[1] an epoch to start if there is none    ARGV[2] max entries per stream
-- ARGV[3] max age in ms     ARGV[4] history key prefix     ARGV[5] horizon key prefix
-- ARGV[6] channel prefix    ARGV[7], ARGV[8] envelope head and tail (the id goes between)
-- ARGV[9] n, the number of namespaces; ARGV[10 .. 9+n] their paths;
-- ARGV[10+n ..] the fields of the stream entry, name and value alternating.
-- Returns { epoch, millis, seq }: the id given to the event.

local maxLen = tonumber(ARGV[2])
local maxAge = tonumber(ARGV[3])
local n = tonumber(ARGV[9])

local epoch = redis.call('GET', KEYS[1])
local seq = redis.call('GET', KEYS[2])
local last = redis.call('GET', KEYS[3])
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
  last = 0
  redis.call('SET', KEYS[1], epoch)
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- The clock of Redis may step back (NTP, failover to another host): ids must not.
local millis = math.max(now, tonumber(last))
seq = tonumber(seq) + 1
local position = string.format('%d-%d', millis, seq)
redis.call('SET', KEYS[2], string.format('%d', seq))
redis.call('SET', KEYS[3], string.format('%d', millis))

local fields = {}
for i = 10 + n, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
-- At least 1: the exclusive bound '(0-0' below would be an error.
local cutoff = string.format('%d-0', math.max(now - maxAge, 1))

for i = 1, n do
  local path = ARGV[9 + i]
  local stream = ARGV[4] .. path
  local horizon = ARGV[5] .. path
  redis.call('XADD', stream, position, unpack(fields))

  -- Count bound, exact: the newest entry dropped becomes the horizon, so that a resume from
  -- before it is told about the gap.
  local len = redis.call('XLEN', stream)
  if len > maxLen then
    local dropped = redis.call('XRANGE', stream, '-', '+', 'COUNT', len - maxLen)
    redis.call('SET', horizon, dropped[#dropped][1])
    redis.call('XTRIM', stream, 'MAXLEN', maxLen)
  end

  -- Age bound. The event just added is never older than the cutoff.
  local expired = redis.call('XREVRANGE', stream, '(' .. cutoff, '-', 'COUNT', 1)
  if #expired > 0 then
    redis.call('SET', horizon, expired[1][1])
    redis.call('XTRIM', stream, 'MINID', cutoff)
  end

  -- An idle namespace disappears whole once its newest entry is past the age bound.
  redis.call('PEXPIRE', stream, maxAge)
  redis.call('PEXPIRE', horizon, maxAge)
  redis.call('ZADD', KEYS[4], 0, path)
end

local envelope = ARGV[7] .. epoch .. '-' .. position .. ARGV[8]
for i = 1, n do
  redis.call('PUBLISH', ARGV[6] .. ARGV[9 + i], envelope)
end

return { epoch, string.format('%d', millis), string.format('%d', seq) }
