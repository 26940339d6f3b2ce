package io.playconnect.core;

import java.util.Objects;

/**
 * A stored change to a room: envelope v1 of the wire contract. {@code seq} is gapless from 1 within
 * an {@code epoch}. The payload is raw JSON bytes, shared as-is by every protocol.
 *
 * @param id unique event id, {@code <epoch>-<seq>}
 * @param ts engine time of the commit, milliseconds since the Unix epoch
 * @param correlationId the command's correlationId, or null for engine-made events
 * @param traceparent W3C trace context, or null
 */
public record Event(String id, String type, RoomId room, long seq, String epoch, long ts,
                    String correlationId, String traceparent, Origin origin, byte[] payload) {
    public static final int VERSION = 1;

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(payload, "payload");
    }

    public static String eventId(String epoch, long seq) {
        return epoch + '-' + seq;
    }

    public StreamPosition position() {
        return new StreamPosition(epoch, seq);
    }
}
