package io.playconnect.edge;

import io.playconnect.core.RoomId;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The process's rooms: one {@link RoomChannel} (one broker subscription) per room that has a local
 * subscriber, opened with the first and closed with the last.
 */
final class RoomFanout {
    private final EdgeRuntime runtime;
    private final ConcurrentMap<RoomId, RoomChannel> channels = new ConcurrentHashMap<>();

    RoomFanout(EdgeRuntime runtime) {
        this.runtime = runtime;
    }

    /** Adds a subscriber to its room's channel (opening it if needed); the channel starts the join. */
    RoomChannel attach(RoomSubscriber subscriber) {
        RoomChannel[] created = new RoomChannel[1];
        RoomChannel channel = channels.compute(subscriber.room(), (room, existing) -> {
            RoomChannel c = existing;
            if (c == null) {
                c = new RoomChannel(runtime, room);
                created[0] = c;
            }
            c.references++;
            return c;
        });
        if (created[0] != null) {
            channel.executor().execute(channel::open);
        }
        channel.executor().execute(() -> channel.register(subscriber));
        return channel;
    }

    /** Removes a subscriber; the last one out closes the room's subscriptions. */
    void detach(RoomSubscriber subscriber, RoomChannel channel) {
        channel.executor().execute(() -> channel.unregister(subscriber));
        channels.compute(subscriber.room(), (room, existing) -> {
            if (existing != channel) {
                return existing;
            }
            if (--existing.references == 0) {
                existing.executor().execute(existing::shutdown);
                return null;
            }
            return existing;
        });
    }

    /** Closes every room's subscriptions (the edge is closing). */
    void closeAll() {
        for (RoomId room : List.copyOf(channels.keySet())) {
            RoomChannel c = channels.remove(room);
            if (c != null) {
                c.executor().execute(c::shutdown);
            }
        }
    }

    /** Test hook: the room's channel, or null. */
    RoomChannel channelOf(RoomId room) {
        return channels.get(room);
    }

    int openRooms() {
        return channels.size();
    }

    boolean isOpen(RoomId room) {
        return channels.containsKey(room);
    }
}
