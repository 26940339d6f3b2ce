package io.playconnect.core.spi;

import io.playconnect.core.RoomId;

import java.util.Map;
import java.util.Objects;

/**
 * One stored record of a room's log: the encoded event envelope of one command, with its seq and
 * epoch beside it so readers route and order without decoding. Headers carry small engine
 * metadata that is not for clients (such as the de-duplication fingerprint of the command); a
 * broker stores and returns them unchanged (NATS message headers, for example).
 */
public record LogRecord(RoomId room, String epoch, long seq, long timestamp, byte[] data,
                        Map<String, String> headers) {
    /**
     * The header with the W3C trace context of the command that made the record (the engine's
     * apply span), so every gateway's delivery joins the command's trace without decoding the
     * envelope. Absent when the command carried no context.
     */
    public static final String TRACEPARENT_HEADER = "traceparent";

    public LogRecord {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(data, "data");
        headers = headers == null ? Map.of() : headers;
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
    }

    public LogRecord(RoomId room, String epoch, long seq, long timestamp, byte[] data) {
        this(room, epoch, seq, timestamp, data, Map.of());
    }

    /** A header's value, or null. */
    public String header(String name) {
        return headers.get(name);
    }
}
