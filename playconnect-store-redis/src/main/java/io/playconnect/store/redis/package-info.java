/**
 * Presence and sessions in Redis, for gateways in several processes.
 * {@link io.playconnect.store.redis.RedisPresenceStore} keeps each room's members in a sorted set
 * scored by expiry time (server time, so gateway clocks do not matter), with their details in a
 * hash; gateways heartbeat by pushing their members' expiry forward; every change runs as one Lua
 * script, and joins and leaves (including expiries, found by a sweeper in any process) are
 * published on a Redis pub/sub channel per room, so every gateway's listeners hear them.
 * {@link io.playconnect.store.redis.RedisSessionStore} keeps opaque session states under keys with a
 * millisecond expiry.
 *
 * <p>All operations use Lettuce's asynchronous API and never block the caller, except
 * {@link io.playconnect.store.redis.RedisPresenceStore#subscribe}, which waits for Redis to confirm
 * the channel subscription so that no change published after it returns is missed. Listeners run
 * on Lettuce's event loop: they must be quick and must not block.
 *
 * <p>This module may depend on {@code playconnect-core} and Lettuce ({@code io.lettuce:lettuce-core})
 * only; logging goes through {@link java.lang.System.Logger}.
 */
package io.playconnect.store.redis;
