import { LuaScript } from './luaScript.js';

/*
 * Presence is fenced in Lua so that each check-and-write is atomic on the Redis side: a stale node (one that has not
 * yet noticed its connection died, or whose commands were delayed by a Redis outage) can neither delete nor overwrite
 * the record of a connection that replaced it.
 */

/**
 * Register (or re-register) a connection. The record is replaced unless it belongs to another connection that
 * connected strictly later (the newest connection of an identity owns it).
 * KEYS[1] presence key; ARGV nodeId, connectionId, protocol, connectedAt, ttlMs.
 * Returns {1} when written, {1, previousNodeId, previousConnectionId} when written over another connection's
 * record (that node must close it), {0, ownerNodeId, ownerConnectionId} when a newer connection owns the identity.
 */
export const REGISTER = new LuaScript(`
local kind = redis.call('TYPE', KEYS[1])['ok']
local replaced = nil
if kind == 'hash' then
  local cur = redis.call('HMGET', KEYS[1], 'connectionId', 'connectedAt', 'nodeId')
  if cur[1] and cur[1] ~= ARGV[2] then
    local at = tonumber(cur[2])
    if at and at > tonumber(ARGV[4]) then
      return {0, cur[3] or '', cur[1]}
    end
    replaced = {1, cur[3] or '', cur[1]}
  end
end
if kind ~= 'none' then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], 'nodeId', ARGV[1], 'connectionId', ARGV[2], 'protocol', ARGV[3], 'connectedAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return replaced or {1}
`);

/**
 * Remove a connection's record only while that connection still owns it.
 * KEYS[1] presence key; ARGV connectionId. Returns 1 when removed, 0 otherwise.
 */
export const UNREGISTER = new LuaScript(`
if redis.call('TYPE', KEYS[1])['ok'] ~= 'hash' then return 0 end
if redis.call('HGET', KEYS[1], 'connectionId') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`);

/**
 * Heartbeat of many records in one script: extend the TTL of every record its connection still owns. Never creates
 * a record (a disconnect racing with the heartbeat must not resurrect it); the caller re-registers missing ones
 * after re-checking they are still live. The keys share one hash tag (one bucket), so this runs on one slot of a
 * Redis Cluster.
 * KEYS presence keys; ARGV[1] ttlMs, ARGV[1 + i] the connectionId of KEYS[i].
 * Returns one reply per key: {1} refreshed, {0} missing, {-1, ownerNodeId, ownerConnectionId} owned by another connection.
 */
export const REFRESH = new LuaScript(`
local out = {}
for i, key in ipairs(KEYS) do
  -- One HGET on the common path (pcall: a key that is not a hash answers an error instead of failing the script).
  local cur = redis.pcall('HGET', key, 'connectionId')
  if cur == ARGV[i + 1] then
    redis.call('PEXPIRE', key, ARGV[1])
    out[i] = {1}
  elseif type(cur) == 'table' or (not cur and redis.call('EXISTS', key) == 0) then
    out[i] = {0}
  else
    out[i] = {-1, redis.call('HGET', key, 'nodeId') or '', cur or ''}
  end
end
return out
`);

const NOW_MS = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Node liveness on the Redis clock (node clocks may disagree): score = deadline. Also drops expired nodes.
 * KEYS[1] nodes sorted set; ARGV nodeId, ttlMs.
 */
export const TOUCH_NODE = new LuaScript(`${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now))
redis.call('ZADD', KEYS[1], string.format('%d', now + tonumber(ARGV[2])), ARGV[1])
-- the set itself expires once no node refreshes it; never shorten a TTL set by a node with a longer one
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/** KEYS[1] nodes sorted set. Returns the ids of nodes whose liveness deadline has not passed. */
export const LIVE_NODES = new LuaScript(`${NOW_MS}
return redis.call('ZRANGEBYSCORE', KEYS[1], string.format('%d', now), '+inf')
`);
