-- Stores one final block and keeps the shared block cache within its quota, atomically.
-- KEYS[1] the block, KEYS[2] the index (sorted set: block key -> stored at, ms), KEYS[3] sizes (hash:
-- block key -> bytes), KEYS[4] the bytes of all indexed blocks. ARGV: value, ttl ms, now ms, max blocks, max bytes.
-- Evicts the oldest blocks while over a limit, and forgets blocks whose TTL has passed. Answers how many it evicted.
local value, ttl, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local maxBlocks, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5])
local size = string.len(value)
local known = redis.call('HGET', KEYS[3], KEYS[1])
redis.call('SET', KEYS[1], value, 'PX', ttl)
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('HSET', KEYS[3], KEYS[1], size)
local total = redis.call('INCRBY', KEYS[4], size - tonumber(known or '0'))
local expiredBefore = now - ttl
local evicted = 0
while true do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #oldest == 0 then
    break
  end
  if redis.call('ZCARD', KEYS[2]) <= maxBlocks and total <= maxBytes and tonumber(oldest[2]) > expiredBefore then
    break
  end
  local key = oldest[1]
  local bytes = tonumber(redis.call('HGET', KEYS[3], key) or '0')
  redis.call('ZREM', KEYS[2], key)
  redis.call('HDEL', KEYS[3], key)
  total = redis.call('DECRBY', KEYS[4], bytes)
  redis.call('UNLINK', key)
  evicted = evicted + 1
end
return evicted
