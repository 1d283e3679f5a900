#pragma once

// The Lua scripts of the cluster (see cluster_store.hpp for the keys). Each runs atomically in
// Redis, so a node dying between two of its commands can never leave half a step behind.

namespace wordcrawl::cluster_scripts {

/// KEYS: work. ARGV: prefix, group, per_host, ttl, then (id, host, origin) per entry.
/// Returns per entry 1 (lease taken), 0 (host busy) or -1 (its origin node is gone: the entry
/// is acknowledged and deleted, as nobody could send its answer).
inline constexpr const char* acquire = R"lua(
-- milliseconds on Redis's own clock, so leases do not depend on the nodes' clocks
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prefix, group = ARGV[1], ARGV[2]
local limit, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
for i = 5, #ARGV, 3 do
  local id, host, origin = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('EXISTS', prefix .. 'node:' .. origin) == 0 then
    redis.call('XACK', KEYS[1], group, id)
    redis.call('XDEL', KEYS[1], id)
    out[#out + 1] = -1
  elseif host == '' or limit == 0 then
    out[#out + 1] = 1
  else
    local key = prefix .. 'host:' .. host
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    if redis.call('ZSCORE', key, id) or redis.call('ZCARD', key) < limit then
      redis.call('ZADD', key, now + ttl, id)
      redis.call('PEXPIRE', key, ttl)
      out[#out + 1] = 1
    else
      out[#out + 1] = 0
    end
  end
end
return out
)lua";

/// KEYS: work. ARGV: group, consumer, ttl, prefix, then (id, host) per entry. Resets the idle
/// time of each entry the consumer still owns (JUSTID: no delivery is counted) and extends its
/// host lease. Returns how many were renewed.
inline constexpr const char* renew = R"lua(
-- milliseconds on Redis's own clock, so leases do not depend on the nodes' clocks
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local group, consumer, ttl, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local renewed = 0
for i = 5, #ARGV, 2 do
  local id, host = ARGV[i], ARGV[i + 1]
  local p = redis.call('XPENDING', KEYS[1], group, id, id, 1)
  if #p == 1 and p[1][2] == consumer then
    redis.call('XCLAIM', KEYS[1], group, consumer, 0, id, 'JUSTID')
    if host ~= '' then
      local key = prefix .. 'host:' .. host
      if redis.call('ZADD', key, 'XX', 'CH', now + ttl, id) == 1 then
        redis.call('PEXPIRE', key, ttl)
      end
    end
    renewed = renewed + 1
  end
end
return renewed
)lua";

/// KEYS: work. ARGV: group, consumer, visibility, prefix, then (id, host) per entry. Marks each
/// entry the consumer owns as idle for the whole visibility timeout, so that the next reclaim
/// by any node takes it, and frees its host lease.
inline constexpr const char* release = R"lua(
local group, consumer, visibility, prefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
for i = 5, #ARGV, 2 do
  local id, host = ARGV[i], ARGV[i + 1]
  local p = redis.call('XPENDING', KEYS[1], group, id, id, 1)
  if #p == 1 and p[1][2] == consumer then
    redis.call('XCLAIM', KEYS[1], group, consumer, 0, id, 'IDLE', visibility, 'JUSTID')
  end
  if host ~= '' then
    redis.call('ZREM', prefix .. 'host:' .. host, id)
  end
end
return 1
)lua";

/// KEYS: work, dead. ARGV: group, consumer, min_idle, max_tries, count, prefix, done_ttl,
/// reply_ttl. Entries idle over min_idle are claimed by consumer, or, once delivered max_tries
/// times, copied to the dead letters and answered "gave up" (once per request). Returns
/// {claimed entries, number given up}.
inline constexpr const char* reclaim = R"lua(
local group, consumer, min_idle = ARGV[1], ARGV[2], ARGV[3]
local max_tries, count, prefix = tonumber(ARGV[4]), ARGV[5], ARGV[6]
local done_ttl, reply_ttl = ARGV[7], ARGV[8]
local pending = redis.call('XPENDING', KEYS[1], group, 'IDLE', min_idle, '-', '+', count)
local claimed, gave_up = {}, 0
for _, p in ipairs(pending) do
  local id, owner, tries = p[1], p[2], tonumber(p[4])
  local entry = redis.call('XRANGE', KEYS[1], id, id)
  if #entry == 0 then
    redis.call('XACK', KEYS[1], group, id)
  elseif tries >= max_tries then
    local f, kv = {}, entry[1][2]
    for i = 1, #kv, 2 do f[kv[i]] = kv[i + 1] end
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', '10000', '*', 'url', f.url, 'req', f.req,
               'origin', f.origin, 'tries', tostring(tries), 'last_owner', owner)
    if redis.call('EXISTS', prefix .. 'node:' .. f.origin) == 1
        and redis.call('SET', prefix .. 'done:' .. f.req, '1', 'NX', 'PX', done_ttl) then
      local replies = prefix .. 'replies:' .. f.origin
      redis.call('XADD', replies, '*', 'req', f.req, 'gave_up', tostring(tries))
      redis.call('PEXPIRE', replies, reply_ttl)
    end
    redis.call('XACK', KEYS[1], group, id)
    redis.call('XDEL', KEYS[1], id)
    if f.host ~= nil and f.host ~= '' then
      redis.call('ZREM', prefix .. 'host:' .. f.host, id)
    end
    gave_up = gave_up + 1
  else
    for _, e in ipairs(redis.call('XCLAIM', KEYS[1], group, consumer, min_idle, id)) do
      claimed[#claimed + 1] = e
    end
  end
end
return {claimed, gave_up}
)lua";

/// KEYS: work, done:<request>, replies:<origin>, node:<origin>, processed. ARGV: group, id,
/// request, line, done_ttl, reply_ttl, host key ("" for none), successor id ("" for none),
/// lease ttl. The answer is sent only by the first finish of its request, and only while its
/// origin lives; the entry is acknowledged and deleted either way. Its host lease, if still
/// held, goes to the successor (an entry of the same host waiting on this node), so a busy
/// host's next fetch starts without another round trip. Returns {1 if sent else 0, URLs the
/// cluster answered, 1 if the lease was handed over else 0}.
inline constexpr const char* finish = R"lua(
-- Marked done only when the answer can be sent: an origin whose key is gone (Redis lost it, or
-- the node was cut off) submits its requests again, and those must still be answered.
local fresh = false
if redis.call('EXISTS', KEYS[4]) == 1 then
  fresh = redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[5])
end
local sent = 0
if fresh then
  redis.call('XADD', KEYS[3], '*', 'req', ARGV[3], 'line', ARGV[4])
  redis.call('PEXPIRE', KEYS[3], ARGV[6])
  sent = 1
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
local handed = 0
if ARGV[7] ~= '' and redis.call('ZREM', ARGV[7], ARGV[2]) == 1 and ARGV[8] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', ARGV[7], now + tonumber(ARGV[9]), ARGV[8])
  redis.call('PEXPIRE', ARGV[7], ARGV[9])
  handed = 1
end
local processed = 0
if fresh then
  processed = redis.call('INCR', KEYS[5])
end
return {sent, processed, handed}
)lua";

}  // namespace wordcrawl::cluster_scripts
