-- Ends the current epoch when Redis has gone back: its sequence is behind an id this instance
-- already saw given out (a failover to a replica that had not received the newest writes).
-- The next publish then starts a new epoch, so every resume from before gets history-gap
-- instead of silently skipping the lost events.
--
-- KEYS[1] epoch   KEYS[2] seq
-- ARGV[1] the epoch of the highest id seen   ARGV[2] its seq
-- Returns { 1 or 0 (whether the epoch was ended), the seq Redis holds }.

local epoch = redis.call('GET', KEYS[1])
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
if epoch ~= ARGV[1] or seq >= tonumber(ARGV[2]) then
  return { 0, seq }
end
redis.call('DEL', KEYS[1])
return { 1, seq }
