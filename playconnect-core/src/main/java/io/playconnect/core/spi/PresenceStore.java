package io.playconnect.core.spi;

import io.playconnect.core.RoomId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is in which room, across every gateway. Presence is ephemeral: entries live while their
 * gateway heartbeats ({@link #heartbeat}) and disappear within the TTL after it stops. Changes
 * are announced on the broker subject {@code pc.presence.<room>} by the implementation.
 */
public interface PresenceStore {

    /** Adds or refreshes a member; the entry expires after the store's TTL unless refreshed. */
    CompletableFuture<Void> join(RoomId room, Member member);

    /** Removes a member (one connection of a user). */
    CompletableFuture<Void> leave(RoomId room, String connectionId);

    /** Current live members of the room. */
    CompletableFuture<List<Member>> members(RoomId room);

    /** Refreshes every entry of this gateway. */
    CompletableFuture<Void> heartbeat(String gatewayId);

    /** Listens to joins and leaves of one room, whichever gateway they happen on. */
    Subscription subscribe(RoomId room, PresenceListener listener);

    /** Receives presence changes. Default methods do nothing. Must not block. */
    interface PresenceListener {
        default void onJoin(RoomId room, Member member) {
        }

        default void onLeave(RoomId room, Member member) {
        }
    }
}
