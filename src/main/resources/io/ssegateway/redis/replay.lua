-- Reads what a resume needs in one atomic step, so that the epoch, the head, the horizons and
-- the entries all belong to the same moment. Read-only.
--
-- KEYS[1] epoch   KEYS[2] seq   KEYS[3] millis   KEYS[4] namespace index
-- ARGV[1] history key prefix   ARGV[2] horizon key prefix   ARGV[3] max age in ms
-- ARGV[4] how many entries to read per stream, newest first
-- ARGV[5] epoch of the id to resume after ('' for none)   ARGV[6], ARGV[7] its millis and seq
-- ARGV[8 ..] the topics: namespace paths whose own and descendants' histories are wanted
-- Returns { epoch or nil, head millis, head seq, foreign, namespace... } where foreign is 1
-- when the id is not one of this history's (another epoch, newer than the head, or older than
-- the age bound: an idle stream may have expired whole) and each namespace is
-- { path, horizon or '', oldest retained id, entries newest first }.

local epoch = redis.call('GET', KEYS[1])
local headSeq = tonumber(redis.call('GET', KEYS[2]) or '0')
local headMillis = tonumber(redis.call('GET', KEYS[3]) or '0')
if not epoch then
  return { false, 0, 0, 0 }
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cutoffMillis = math.max(now - tonumber(ARGV[3]), 0)
local cutoff = string.format('%d-0', cutoffMillis)

local foreign = 0
local from = cutoff
if ARGV[5] ~= '' then
  local m, s = tonumber(ARGV[6]), tonumber(ARGV[7])
  if ARGV[5] ~= epoch or m > headMillis or (m == headMillis and s > headSeq) or m < cutoffMillis then
    foreign = 1
  else
    from = '(' .. ARGV[6] .. '-' .. ARGV[7]
  end
end

local reply = { epoch, headMillis, headSeq, foreign }
local seen = {}
for t = 8, #ARGV do
  local topic = ARGV[t]
  local members
  if topic == '/' then
    members = redis.call('ZRANGEBYLEX', KEYS[4], '-', '+')
  else
    -- '0' follows '/': the range holds the topic, its descendants, and siblings such as
    -- '/pets-x' that the check below leaves out.
    members = redis.call('ZRANGEBYLEX', KEYS[4], '[' .. topic, '(' .. topic .. '0')
  end
  for _, ns in ipairs(members) do
    if not seen[ns] and (topic == '/' or ns == topic or string.sub(ns, 1, #topic + 1) == topic .. '/') then
      seen[ns] = true
      local stream = ARGV[1] .. ns
      local oldest = redis.call('XRANGE', stream, cutoff, '+', 'COUNT', 1)
      -- Nothing retained: an expired stream whose horizon, older than the age bound, cannot
      -- matter to an id that passed the check above.
      if #oldest > 0 then
        local horizon = redis.call('GET', ARGV[2] .. ns) or ''
        local entries = redis.call('XREVRANGE', stream, '+', from, 'COUNT', ARGV[4])
        reply[#reply + 1] = { ns, horizon, oldest[1][1], entries }
      end
    end
  end
end
return reply
