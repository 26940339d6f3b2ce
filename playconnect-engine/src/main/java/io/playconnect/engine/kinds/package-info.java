/**
 * The built-in room kinds: {@code game} (chess, {@link io.playconnect.engine.kinds.ChessRoomLogic}),
 * {@code doc} (a shared JSON document that merges by hybrid logical clock,
 * {@link io.playconnect.engine.kinds.DocRoomLogic}) and {@code chat} (append-only messages,
 * {@link io.playconnect.engine.kinds.ChatRoomLogic}). Each is an ordinary
 * {@link io.playconnect.engine.spi.RoomLogic} found with {@link java.util.ServiceLoader}, so a user
 * replaces one exactly as they would add their own.
 *
 * <p>May depend on playconnect-core, the engine's {@code spi} package, Jackson and (for chess)
 * {@code io.github.wolfraam:chessgame}. Nothing here knows about partitions, brokers or clients;
 * the engine never depends on this package directly.
 */
package io.playconnect.engine.kinds;
