package io.playconnect.gateway.websocket;

import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;

/** One decoded client frame: the operations of the wire contract. */
sealed interface ClientFrame {

    /** First authentication, or a refresh of the token without reconnecting. */
    record Auth(String token) implements ClientFrame {
    }

    /** Join a room; {@code since} is null for a fresh join, the position to resume from otherwise. */
    record Join(RoomId room, StreamPosition since) implements ClientFrame {
    }

    record Leave(RoomId room) implements ClientFrame {
    }

    /** A command; {@code payload} is the raw JSON value exactly as the client sent it. */
    record Publish(RoomId room, String type, byte[] payload, String correlationId, String traceparent)
            implements ClientFrame {
    }

    record Presence(RoomId room) implements ClientFrame {
    }

    record Ping() implements ClientFrame {
    }
}
