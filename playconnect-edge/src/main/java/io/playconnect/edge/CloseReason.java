package io.playconnect.edge;

import java.util.Objects;

/**
 * Why the edge closes a session. Each protocol maps the kind to its own close (WebSocket close
 * codes, MQTT DISCONNECT reason codes, gRPC status).
 */
public record CloseReason(Kind kind, String text) {
    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** The typed reason; the WebSocket code in brackets is the suggested mapping. */
    public enum Kind {
        /** The server is draining: reconnect elsewhere (1001). */
        GOING_AWAY,
        /** The client broke a rule, e.g. kept flooding after rate limiting (1008). */
        POLICY,
        /** Load shedding: try again later (1013). */
        OVERLOADED,
        /** A server fault (1011). */
        INTERNAL,
        /** No valid token in time, or the first token was refused (4001). */
        UNAUTHENTICATED,
        /** The token expired and was not refreshed (4002). */
        TOKEN_EXPIRED,
        /** The client did not read fast enough; its queue overflowed (4003). */
        SLOW_CONSUMER,
        /** Removed by the server or an operator (4004). */
        KICKED
    }
}
