-- Reads one page of a replay in one atomic step, so that the epoch, the head, the horizons and
-- the entries of the page all belong to the same moment. Read-only.
--
-- What it reads is bounded by what may be sent, not by the history: the covered streams are
-- merged newest first, a page of each at a time, and the merge stops at ARGV[4] entries. (Reading
-- up to the limit from every covered stream made one resume with a malformed id against 100
-- namespaces of 1,000 events a 1.2 s script with an 18 MB reply; a handful of them at once
-- stopped every instance.) The caller reads a long replay as several calls, each continuing
-- below the oldest entry of the one before (ARGV[9]): one call merging 10,000 entries ran for
-- 0.2-2.8 s on a busy 2-core machine, and every publish waited behind it.
--
-- KEYS[1] epoch   KEYS[2] seq   KEYS[3] millis   KEYS[4] namespace index
-- ARGV[1] history key prefix   ARGV[2] horizon key prefix   ARGV[3] max age in ms
-- ARGV[4] the most entries to return, newest first
-- ARGV[5] epoch of the id to replay after ('' for none)   ARGV[6], ARGV[7] its millis and seq
-- ARGV[8] the earliest publish time wanted, in ms ('' for none)
-- ARGV[9] the position to continue below, exclusive ('' for the first page)
-- ARGV[10 ..] the topics: namespace paths whose own and descendants' histories are wanted
-- Returns { epoch or nil, foreign, gap, oldest retained id or '', entries newest first } where
-- foreign is 1 when the id is not one of this history's (another epoch, newer than the head, or
-- older than the age bound: an idle stream may have expired whole), gap is 1 when retained
-- history does not reach back to the id or the time (a horizon at or past it, or a time older
-- than the age bound), and each entry, once even when it is in several streams, is
-- { id, fields }.

local epoch = redis.call('GET', KEYS[1])
local headSeq = tonumber(redis.call('GET', KEYS[2]) or '0')
local headMillis = tonumber(redis.call('GET', KEYS[3]) or '0')
if not epoch then
  return { false, 0, 0, '', {} }
end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cutoffMillis = math.max(now - tonumber(ARGV[3]), 0)
local wanted = tonumber(ARGV[4])
local below = ARGV[9] ~= '' and ARGV[9] or nil

-- The lower end of the read: '(' m '-' s excludes the id itself; a plain id includes it.
-- boundM, boundS: a retained history reaches back far enough when no horizon is at or after it.
local low = string.format('%d-0', cutoffMillis)
local foreign, gap = 0, 0
local boundM, boundS = nil, nil
if ARGV[5] ~= '' then
  local m, s = tonumber(ARGV[6]), tonumber(ARGV[7])
  if ARGV[5] ~= epoch or m > headMillis or (m == headMillis and s > headSeq) or m < cutoffMillis then
    foreign = 1
  else
    low = '(' .. ARGV[6] .. '-' .. ARGV[7]
    boundM, boundS = m, s + 1
  end
elseif ARGV[8] ~= '' then
  local since = tonumber(ARGV[8])
  if since < cutoffMillis then
    gap = 1
  else
    low = string.format('%d-0', since)
    boundM, boundS = since, 0
  end
end

local function position(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end

-- Streams with something to read, each a cursor over a page of entries, newest first.
local cursors = {}
local oldestM, oldestS, oldest = nil, nil, ''
local seen = {}
local function cover(ns)
  local stream = ARGV[1] .. ns
  local first = redis.call('XRANGE', stream, string.format('%d-0', cutoffMillis), '+', 'COUNT', 1)
  -- Nothing retained: an expired stream whose horizon, older than the age bound, cannot matter.
  if #first == 0 then
    return
  end
  local fm, fs = position(first[1][1])
  if oldestM == nil or fm < oldestM or (fm == oldestM and fs < oldestS) then
    oldestM, oldestS, oldest = fm, fs, first[1][1]
  end
  if boundM ~= nil and gap == 0 then
    local horizon = redis.call('GET', ARGV[2] .. ns)
    if horizon then
      local hm, hs = position(horizon)
      if hm > boundM or (hm == boundM and hs >= boundS) then
        gap = 1
      end
    end
  end
  -- A later page continues below the oldest entry the page before it returned.
  cursors[#cursors + 1] = { stream = stream, last = below }
end

for t = 10, #ARGV do
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
      cover(ns)
    end
  end
end

-- A first page shares the wanted count out between the streams; a stream that runs out of its
-- page while the merge still needs more reads a page twice as large, never more than is still
-- wanted. What is read beyond what is returned stays below a page per stream.
local firstPage = math.max(1, math.ceil(wanted / math.max(1, #cursors)))
local function refill(c, size)
  local from = c.last and ('(' .. c.last) or '+'
  c.page = redis.call('XREVRANGE', c.stream, from, low, 'COUNT', size)
  c.size = size
  c.at = 1
  if #c.page == 0 then
    return false
  end
  c.last = c.page[#c.page][1]
  c.m, c.s = position(c.page[1][1])
  return true
end

-- A binary heap of cursors, newest head entry on top.
local heap = {}
local function newer(a, b)
  return a.m > b.m or (a.m == b.m and a.s > b.s)
end
local function up(i)
  while i > 1 do
    local p = math.floor(i / 2)
    if not newer(heap[i], heap[p]) then
      return
    end
    heap[i], heap[p] = heap[p], heap[i]
    i = p
  end
end
local function down(i)
  local n = #heap
  while true do
    local l, r, top = 2 * i, 2 * i + 1, i
    if l <= n and newer(heap[l], heap[top]) then top = l end
    if r <= n and newer(heap[r], heap[top]) then top = r end
    if top == i then
      return
    end
    heap[i], heap[top] = heap[top], heap[i]
    i = top
  end
end

for _, c in ipairs(cursors) do
  if refill(c, firstPage) then
    heap[#heap + 1] = c
    up(#heap)
  end
end

local entries = {}
local lastId = nil
while #heap > 0 and #entries < wanted do
  local c = heap[1]
  local entry = c.page[c.at]
  -- An event of several namespaces is in several streams, with one id: it leaves the heap once
  -- per stream, one after the other.
  if entry[1] ~= lastId then
    entries[#entries + 1] = entry
    lastId = entry[1]
  end
  c.at = c.at + 1
  local more = true
  if c.at > #c.page then
    more = #c.page == c.size and refill(c, math.max(1, math.min(c.size * 2, wanted - #entries)))
  else
    c.m, c.s = position(c.page[c.at][1])
  end
  if more then
    down(1)
  else
    heap[1] = heap[#heap]
    heap[#heap] = nil
    if #heap > 0 then
      down(1)
    end
  end
end

return { epoch, foreign, gap, oldest, entries }
