package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;

/** Whether the broker is still open, shared by its parts. */
final class OpenGuard {
    private volatile boolean closed;

    /** Closes; returns whether this call did it. */
    synchronized boolean close() {
        boolean was = closed;
        closed = true;
        return !was;
    }

    boolean isClosed() {
        return closed;
    }

    /** Throws {@link BrokerException.Reason#UNAVAILABLE} once closed. */
    void check() {
        if (closed) {
            throw new BrokerException(BrokerException.Reason.UNAVAILABLE, "broker closed");
        }
    }
}
