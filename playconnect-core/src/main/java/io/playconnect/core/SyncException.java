package io.playconnect.core;

import java.util.Objects;

/**
 * A typed failure that carries an {@link ErrorCode} to the client. Thrown inside the product where
 * an exception is the natural control flow (parsing, validation); every edge turns it into data.
 */
public class SyncException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SyncException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
