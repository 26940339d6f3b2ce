package io.playconnect.core;

import java.util.Objects;

/**
 * A proposed change to a room, on its way from a gateway to the engine that owns the room. The
 * payload is raw JSON bytes, validated as JSON by whoever decoded it and never re-serialised.
 * The de-duplication key is (room, origin.user, correlationId).
 *
 * @param type the full event type, {@code <kind>.<name>} such as {@code game.move}
 * @param correlationId the client's id for this command, or a gateway-minted one; never null
 * @param traceparent W3C trace context, or null
 */
public record Command(RoomId room, String type, byte[] payload, String correlationId, Origin origin,
                      String traceparent) {
    public static final int MAX_CORRELATION_ID_LENGTH = 128;

    public Command {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(origin, "origin");
    }

    /** The part of the type after the kind: {@code move} for {@code game.move}. */
    public String name() {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }

    /**
     * Normalises a client-given type: {@code move} and {@code game.move} both become {@code game.move}
     * in a {@code game} room; a type naming another kind is {@link ErrorCode#UNKNOWN_TYPE}.
     */
    public static String qualifyType(RoomId room, String type) {
        if (type == null || type.isEmpty() || type.length() > 64) {
            throw new SyncException(ErrorCode.UNKNOWN_TYPE, "type is required (at most 64 characters)");
        }
        int dot = type.indexOf('.');
        if (dot < 0) {
            return room.kind() + '.' + type;
        }
        if (!type.substring(0, dot).equals(room.kind())) {
            throw new SyncException(ErrorCode.UNKNOWN_TYPE,
                    "type " + type + " does not belong to a " + room.kind() + " room");
        }
        return type;
    }
}
