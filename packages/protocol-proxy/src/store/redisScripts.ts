/**
 * Lua scripts of {@link RedisSessionStore}. Each runs atomically on the Redis server, so several proxy
 * instances sharing one Redis never interleave half-done updates. All keys of a charger share one hash tag
 * (`{identity}`) so the scripts also work on Redis Cluster.
 */

/** KEYS: tx, tx16, active, ended, ctr. ARGV: id201, id16, json, evseId|'', ended '1'|'0', maxEnded. */
export const SAVE_TRANSACTION = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
local wasEnded = false
if prev then wasEnded = cjson.decode(prev).ended == true end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
if ARGV[4] ~= '' then
  if ARGV[5] == '0' then
    redis.call('HSET', KEYS[3], ARGV[4], ARGV[1])
  elseif redis.call('HGET', KEYS[3], ARGV[4]) == ARGV[1] then
    redis.call('HDEL', KEYS[3], ARGV[4])
  end
end
if ARGV[5] == '1' and not wasEnded then
  redis.call('RPUSH', KEYS[4], ARGV[1])
  while redis.call('LLEN', KEYS[4]) > tonumber(ARGV[6]) do
    local old = redis.call('LPOP', KEYS[4])
    local rec = redis.call('HGET', KEYS[1], old)
    redis.call('HDEL', KEYS[1], old)
    redis.call('HDEL', KEYS[5], 'seq:' .. old)
    if rec then
      local id16 = string.format('%d', cjson.decode(rec).id16)
      if redis.call('HGET', KEYS[2], id16) == old then redis.call('HDEL', KEYS[2], id16) end
    end
  end
end
return 1
`;

/** KEYS: remote-start list. ARGV: evseId, idTag, now. Returns the JSON of the taken record or nil. */
export const TAKE_REMOTE_START = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local found = false
for _, raw in ipairs(items) do
  local r = cjson.decode(raw)
  if r.expiresAt <= tonumber(ARGV[3]) then
    redis.call('LREM', KEYS[1], 1, raw)
  elseif not found and r.idTag == ARGV[2] and (r.evseId == nil or r.evseId == tonumber(ARGV[1])) then
    found = raw
    redis.call('LREM', KEYS[1], 1, raw)
  end
end
return found
`;

/** KEYS: remote-start list. ARGV: remoteStartId. */
export const REMOVE_REMOTE_START = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, raw in ipairs(items) do
  if cjson.decode(raw).remoteStartId == tonumber(ARGV[1]) then redis.call('LREM', KEYS[1], 1, raw) end
end
return 1
`;

/** KEYS: counters hash. ARGV: counter, atLeast. Increments, never returning less than atLeast. */
export const INCREMENT_AT_LEAST = `
local v = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') + 1
local floor = tonumber(ARGV[2])
if v < floor then v = floor end
redis.call('HSET', KEYS[1], ARGV[1], v)
return v
`;

/**
 * KEYS: token types hash, token order zset, counters hash. ARGV: idToken, type, maxIdTokens.
 * The zset orders tokens by when they were last named; the oldest beyond the bound are forgotten.
 */
export const SET_ID_TOKEN_TYPE = `
local n = redis.call('HINCRBY', KEYS[3], 'idTokenSeq', 1)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], n, ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then
  local old = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #old, 2 do redis.call('HDEL', KEYS[1], old[i]) end
end
return 1
`;
