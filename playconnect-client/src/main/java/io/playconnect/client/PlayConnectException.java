package io.playconnect.client;

import io.grpc.Status;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

/**
 * A failed call or command, with the server's typed code ({@link #code()}), whether the same
 * request may succeed later ({@link #retry()}) and, for a call, the gRPC status it ended with.
 */
public final class PlayConnectException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final transient Status status;
    private final boolean retry;
    private final String correlationId;

    public PlayConnectException(ErrorCode code, String message, boolean retry, String correlationId, Status status) {
        super(code, message);
        this.retry = retry;
        this.correlationId = correlationId;
        this.status = status;
    }

    /** Whether sending the same request again (same correlation id) may succeed. */
    public boolean retry() {
        return retry;
    }

    /** The command's correlation id, or null. */
    public String correlationId() {
        return correlationId;
    }

    /** The gRPC status of a failed call, or null for an error message on a stream. */
    public Status status() {
        return status;
    }
}
