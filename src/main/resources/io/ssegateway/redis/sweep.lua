-- One step of the clean-up of the namespace index: drops the namespaces whose history stream
-- has expired. Atomic, so a namespace published to meanwhile is never dropped.
--
-- KEYS[1] namespace index   ARGV[1] history key prefix   ARGV[2] cursor   ARGV[3] batch size
-- Returns the next cursor ('0' when the pass is complete).

local scan = redis.call('ZSCAN', KEYS[1], ARGV[2], 'COUNT', ARGV[3])
local members = scan[2]
for i = 1, #members, 2 do
  if redis.call('EXISTS', ARGV[1] .. members[i]) == 0 then
    redis.call('ZREM', KEYS[1], members[i])
  end
end
return scan[1]
