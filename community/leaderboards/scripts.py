"""The Lua scripts that read and write the boards, each atomic in Redis.

Every script that touches several keys names them all in KEYS (none is built inside Lua), so
they can share one Redis Cluster slot (see `keys`).
"""

from __future__ import annotations

# KEYS: applied bitmap, then (public, hidden) per board, then the built marker. ARGV: entry id,
# ts, member, TS_SCALE, MAX_POINTS, then per board: expire-at (0 = never), amount, hidden (1/0).
# Checks everything before writing anything; returns 1 when applied, 0 when applied before, -1
# without the built marker (the boards were lost: see `recovery`).
APPLY = """
if redis.call('EXISTS', KEYS[#KEYS]) == 0 then return -1 end
if redis.call('GETBIT', KEYS[1], ARGV[1]) == 1 then return 0 end
local ts = tonumber(ARGV[2])
local member = ARGV[3]
local scale = tonumber(ARGV[4])
local maxts = scale - 1
local limit = tonumber(ARGV[5])
local n = (#KEYS - 2) / 2
local writes = {}
for i = 1, n do
  local public, secret = KEYS[2 * i], KEYS[2 * i + 1]
  local base = 5 + 3 * (i - 1)
  local amount = tonumber(ARGV[base + 2])
  local target, other = public, secret
  if ARGV[base + 3] == '1' then target, other = secret, public end
  local old = redis.call('ZSCORE', target, member) or redis.call('ZSCORE', other, member)
  local points, last = 0, 0
  if old then
    local c = tonumber(old)
    points = math.floor(c / scale)
    last = maxts - (c - points * scale)
  end
  points = points + amount
  if ts > last then last = ts end
  if points >= limit or points <= -limit then
    return redis.error_reply('leaderboard points out of exact range')
  end
  writes[i] = {target, other, string.format('%.0f', points * scale + (maxts - last)), ARGV[base + 1]}
end
redis.call('SETBIT', KEYS[1], ARGV[1], 1)
for i = 1, n do
  local w = writes[i]
  redis.call('ZREM', w[2], member)
  redis.call('ZADD', w[1], w[3], member)
  local exp = tonumber(w[4])
  if exp > 0 then redis.call('EXPIREAT', w[1], exp) end
end
return 1
"""

# KEYS: (from, to) pairs. ARGV: member. Moves the member between a board's public and hidden set.
MOVE = """
local moved = 0
for i = 1, #KEYS, 2 do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if score then
    redis.call('ZADD', KEYS[i + 1], score, ARGV[1])
    redis.call('ZREM', KEYS[i], ARGV[1])
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[i + 1], ttl) end
    moved = moved + 1
  end
end
return moved
"""

# standing(public key, hidden key, member, around): false when the member is on neither side,
# else {index among the people shown, score, private (1/0), above, below} where above/below are
# flat member, score lists. A hidden person's index counts the people shown who rank strictly
# higher. Scores pass through as strings, exact below 2**53.
_STANDING_FUNCTION = """
local function standing(public, hidden, member, around)
  local index = redis.call('ZREVRANK', public, member)
  local score, private, first_below
  if index then
    score = redis.call('ZSCORE', public, member)
    private, first_below = 0, index + 1
  else
    score = redis.call('ZSCORE', hidden, member)
    if not score then return false end
    index = redis.call('ZCOUNT', public, '(' .. score, '+inf')
    private, first_below = 1, index
  end
  local above, below = {}, {}
  if around > 0 and index > 0 then
    local from = index - around
    if from < 0 then from = 0 end
    above = redis.call('ZREVRANGE', public, from, index - 1, 'WITHSCORES')
  end
  if around > 0 then
    below = redis.call('ZREVRANGE', public, first_below, first_below + around - 1, 'WITHSCORES')
  end
  return {index, score, private, above, below}
end
"""

# Every read script starts with this: NOT_WHOLE when the built marker, its last key, is missing
# (the boards were lost; see `recovery`).
NOT_WHOLE = -1
_WHOLE = "if redis.call('EXISTS', KEYS[#KEYS]) == 0 then return -1 end\n"

# KEYS: public, hidden set of a board, the built marker. ARGV: member, around.
STANDING = (
    _WHOLE + _STANDING_FUNCTION + "return standing(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))"
)

# KEYS: a board's public set, the built marker. ARGV: how many.
TOP = _WHOLE + "return redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')"

# KEYS: a board's public and hidden set, the built marker. ARGV: how many, a member ('' for
# nobody), around. A board page's reads in one round trip: {top rows, the member's standing}.
PAGE = (
    _WHOLE
    + _STANDING_FUNCTION
    + """
local rows = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local found = false
if ARGV[2] ~= '' then found = standing(KEYS[1], KEYS[2], ARGV[2], tonumber(ARGV[3])) end
return {rows, found}
"""
)

# KEYS: a staging key. ARGV: "score member score member …", TTL. ZADDs them all (in batches below
# Lua's stack limit) and sets the TTL, so a crashed rebuild leaves no litter for long.
LOAD = """
local batch, n = {}, 0
for score, member in string.gmatch(ARGV[1], '(%S+) (%S+)') do
  batch[n + 1], batch[n + 2] = score, member
  n = n + 2
  if n >= 7000 then
    redis.call('ZADD', KEYS[1], unpack(batch, 1, n))
    n = 0
  end
end
if n > 0 then redis.call('ZADD', KEYS[1], unpack(batch, 1, n)) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""

# KEYS: the lock. ARGV: the token that took it. Deletes the lock only if it is still ours.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
