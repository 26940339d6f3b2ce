package io.playconnect.core.spi;

import io.playconnect.core.RoomId;

import java.util.Objects;

/**
 * One stored record of a room's log: the encoded event envelope of one command, with its seq and
 * epoch beside it so readers route and order without decoding.
 */
public record LogRecord(RoomId room, String epoch, long seq, long timestamp, byte[] data) {
    public LogRecord {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(data, "data");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
    }
}
