package io.playconnect.store.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The presence changes, each one Lua script so that it is atomic and uses the server's clock.
 * ARGV[1] is the key base {@code {prefix}:presence:}; under it:
 * <ul>
 * <li>{@code members:<room>}: sorted set, connection id scored by expiry (ms, server time);
 * <li>{@code info:<room>}: hash, connection id to the encoded member;
 * <li>{@code gw:<room>}: hash, connection id to its gateway id;
 * <li>{@code gateway:<gatewayId>}: set of {@code "<room> <connectionId>"}, what a heartbeat refreshes;
 * <li>{@code expiries}: sorted set of {@code "<room> <connectionId>"} by expiry, what the sweeper scans;
 * <li>channel {@code events:<room>}: {@code J<member>} and {@code L<member>} messages.
 * </ul>
 * Room ids contain no space, so an entry splits at its first space. KEYS[1] is always the
 * {@code expiries} key, which names the slot every other key shares through the hash tag.
 */
final class PresenceScripts {
    private static final String COMMON = String.join("\n",
            "local P = ARGV[1]",
            "local function now()",
            "  local t = redis.call('TIME')",
            "  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
            "end",
            "local function split(e)",
            "  local sp = string.find(e, ' ', 1, true)",
            "  return string.sub(e, 1, sp - 1), string.sub(e, sp + 1)",
            "end",
            // Removes one entry wherever it is indexed and announces its leave; returns 1 if it existed.
            "local function remove(room, conn)",
            "  local e = room .. ' ' .. conn",
            "  local info = redis.call('HGET', P .. 'info:' .. room, conn)",
            "  local gw = redis.call('HGET', P .. 'gw:' .. room, conn)",
            "  redis.call('ZREM', P .. 'members:' .. room, conn)",
            "  redis.call('HDEL', P .. 'info:' .. room, conn)",
            "  redis.call('HDEL', P .. 'gw:' .. room, conn)",
            "  redis.call('ZREM', P .. 'expiries', e)",
            "  if gw then redis.call('SREM', P .. 'gateway:' .. gw, e) end",
            "  if info then",
            "    redis.call('PUBLISH', P .. 'events:' .. room, 'L' .. info)",
            "    return 1",
            "  end",
            "  return 0",
            "end",
            "");

    /** ARGV: base, room, connectionId, encoded member, gatewayId, ttl ms. Returns 1 for a new member. */
    static final LuaScript JOIN = new LuaScript(COMMON + String.join("\n",
            "local room, conn, member, gw = ARGV[2], ARGV[3], ARGV[4], ARGV[5]",
            "local t = now()",
            "local exp = t + tonumber(ARGV[6])",
            "local e = room .. ' ' .. conn",
            "local old = redis.call('ZSCORE', P .. 'members:' .. room, conn)",
            "local live = old and tonumber(old) > t",
            "if old and not live then remove(room, conn) end",
            "if live then",
            "  local oldGw = redis.call('HGET', P .. 'gw:' .. room, conn)",
            "  if oldGw and oldGw ~= gw then redis.call('SREM', P .. 'gateway:' .. oldGw, e) end",
            "end",
            "redis.call('ZADD', P .. 'members:' .. room, exp, conn)",
            "redis.call('HSET', P .. 'info:' .. room, conn, member)",
            "redis.call('HSET', P .. 'gw:' .. room, conn, gw)",
            "redis.call('ZADD', P .. 'expiries', exp, e)",
            "redis.call('SADD', P .. 'gateway:' .. gw, e)",
            "if live then return 0 end",
            "redis.call('PUBLISH', P .. 'events:' .. room, 'J' .. member)",
            "return 1"), ScriptOutputType.INTEGER);

    /** ARGV: base, room, connectionId. Returns 1 if the member was there. */
    static final LuaScript LEAVE = new LuaScript(COMMON + "return remove(ARGV[2], ARGV[3])", ScriptOutputType.INTEGER);

    /** ARGV: base, room. Returns the encoded live members. */
    static final LuaScript MEMBERS = new LuaScript(COMMON + String.join("\n",
            "local room = ARGV[2]",
            "local conns = redis.call('ZRANGEBYSCORE', P .. 'members:' .. room, '(' .. now(), '+inf')",
            "local out = {}",
            "for _, conn in ipairs(conns) do",
            "  local info = redis.call('HGET', P .. 'info:' .. room, conn)",
            "  if info then out[#out + 1] = info end",
            "end",
            "return out"), ScriptOutputType.MULTI);

    /**
     * ARGV: base, gatewayId, ttl ms. Pushes the expiry of the gateway's live entries forward; an
     * entry that already expired is removed (and its leave announced) instead: too late is gone.
     */
    static final LuaScript HEARTBEAT = new LuaScript(COMMON + String.join("\n",
            "local t = now()",
            "local exp = t + tonumber(ARGV[3])",
            "local entries = redis.call('SMEMBERS', P .. 'gateway:' .. ARGV[2])",
            "for _, e in ipairs(entries) do",
            "  local room, conn = split(e)",
            "  local score = redis.call('ZSCORE', P .. 'members:' .. room, conn)",
            "  if score and tonumber(score) > t then",
            "    redis.call('ZADD', P .. 'members:' .. room, exp, conn)",
            "    redis.call('ZADD', P .. 'expiries', exp, e)",
            "  else",
            "    remove(room, conn)",
            "  end",
            "end",
            "return #entries"), ScriptOutputType.INTEGER);

    /** ARGV: base, limit. Removes up to limit expired entries, announcing each leave; returns how many. */
    static final LuaScript SWEEP = new LuaScript(COMMON + String.join("\n",
            "local expired = redis.call('ZRANGEBYSCORE', P .. 'expiries', '-inf', now(),",
            "  'LIMIT', 0, tonumber(ARGV[2]))",
            "for _, e in ipairs(expired) do",
            "  local room, conn = split(e)",
            "  remove(room, conn)",
            "end",
            "return #expired"), ScriptOutputType.INTEGER);

    private PresenceScripts() {
    }
}
