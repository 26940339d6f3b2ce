package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;

import java.util.Objects;

/**
 * An error for the client: the typed code, a human-readable message, and what it answers.
 *
 * @param correlationId the command it answers, or null
 * @param room the room it concerns, or null
 */
public record EdgeError(ErrorCode code, String message, String correlationId, RoomId room) {
    public EdgeError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Whether sending the same thing again (same correlationId) may succeed. */
    public boolean retry() {
        return code.retryable();
    }
}
