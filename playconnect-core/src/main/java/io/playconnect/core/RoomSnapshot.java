package io.playconnect.core;

import java.util.Objects;

/**
 * A room's state as of {@code seq} in {@code epoch}, as JSON a client can render. What a joining
 * client receives before live events, and what resume falls back to past retention.
 */
public record RoomSnapshot(RoomId room, String epoch, long seq, byte[] state) {
    public RoomSnapshot {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(state, "state");
    }

    public StreamPosition position() {
        return new StreamPosition(epoch, seq);
    }
}
