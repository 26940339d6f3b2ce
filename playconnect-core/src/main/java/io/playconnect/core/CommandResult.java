package io.playconnect.core;

import java.util.Objects;

/**
 * The engine's answer to a {@link Command}: accepted with the event's position, or rejected with a
 * typed code. A timeout is not a result: the edge reports it as {@link ErrorCode#OUTCOME_UNKNOWN}.
 */
public sealed interface CommandResult {

    /** The command was stored as the event at {@code seq} in {@code epoch}. */
    record Accepted(String epoch, long seq) implements CommandResult {
        public Accepted {
            Objects.requireNonNull(epoch, "epoch");
        }
    }

    /** The command was refused and changed nothing. */
    record Rejected(ErrorCode code, String message) implements CommandResult {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    static Rejected rejected(ErrorCode code, String message) {
        return new Rejected(code, message);
    }
}
