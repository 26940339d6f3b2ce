/**
 * The sync engine: it holds each room's authoritative state, orders every change with a gapless
 * per-room seq, de-duplicates retries, snapshots, and never touches a client connection.
 *
 * <p>Rooms are grouped into partitions by a stable hash of the room id; each partition is owned by
 * one engine (a lease in the broker's key-value store) and served by one thread, so a room's state
 * has a single writer and needs no lock. Commands arrive over the broker (request-reply on
 * {@code pc.cmd.<partition>}); each accepted command becomes ONE record in the room's log, fenced
 * by the expected last seq, and is acknowledged only after the broker stored it.
 *
 * <p>This module may depend on {@code playconnect-core} and a chess library only; it never depends
 * on a gateway or on a broker implementation.
 */
package io.playconnect.engine;
