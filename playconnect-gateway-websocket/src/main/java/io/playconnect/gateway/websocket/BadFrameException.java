package io.playconnect.gateway.websocket;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

/** A client frame the gateway cannot act on, with the correlationId when the frame had one. */
final class BadFrameException extends SyncException {
    private static final long serialVersionUID = 1L;
    private final String correlationId;

    BadFrameException(ErrorCode code, String message, String correlationId) {
        super(code, message);
        this.correlationId = correlationId;
    }

    /** The frame's correlationId, or null. */
    String correlationId() {
        return correlationId;
    }
}
