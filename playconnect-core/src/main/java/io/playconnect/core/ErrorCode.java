package io.playconnect.core;

import java.util.Locale;

/**
 * Every error a client can see, on every protocol. The wire name is the lower-case snake form
 * ({@code outcome_unknown}); {@link #retryable()} tells a client whether sending the same command
 * again (with the same correlationId) can succeed.
 */
public enum ErrorCode {
    // Malformed input: the client must change what it sends.
    BAD_REQUEST(false),
    UNKNOWN_OP(false),
    BAD_ROOM(false),
    UNKNOWN_KIND(false),
    UNKNOWN_TYPE(false),
    BAD_PAYLOAD(false),
    PAYLOAD_TOO_LARGE(false),
    // Room rules.
    ILLEGAL_MOVE(false),
    NOT_YOUR_TURN(false),
    SPECTATOR(false),
    GAME_OVER(false),
    CLOCK_SKEW(false),
    IDEMPOTENCY_CONFLICT(false),
    // Authentication and permissions.
    UNAUTHENTICATED(false),
    TOKEN_EXPIRED(false),
    FORBIDDEN(false),
    NOT_JOINED(false),
    // Load and availability: retrying (with the same correlationId) may succeed.
    RATE_LIMITED(true),
    OVERLOADED(true),
    NO_OWNER(true),
    OUTCOME_UNKNOWN(true),
    UNAVAILABLE(true),
    INTERNAL(true);

    private final boolean retryable;
    private final String wireName;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** Whether the same command, with the same correlationId, may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    /** The name on the wire, e.g. {@code idempotency_conflict}. */
    public String wireName() {
        return wireName;
    }

    /** The code with that wire name, or {@link #BAD_REQUEST}-free lookup failure as {@code null}. */
    public static ErrorCode fromWireName(String wireName) {
        for (ErrorCode code : values()) {
            if (code.wireName.equals(wireName)) {
                return code;
            }
        }
        return null;
    }
}
