package io.playconnect.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamStatusException;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns what jnats and the server report into the {@link BrokerException} reasons callers act on. */
final class Errors {
    /** JetStream API error: the expected last (subject) sequence did not match. */
    static final int WRONG_LAST_SEQUENCE = 10071;
    /** JetStream API error: no message found (message get). */
    static final int NO_MESSAGE = 10037;
    /** JetStream API error: stream not found. */
    static final int STREAM_NOT_FOUND = 10059;
    /** JetStream API error: stream name already in use with another configuration. */
    static final int STREAM_NAME_IN_USE = 10058;
    /** JetStream API error: message size exceeds the stream's maximum. */
    static final int MESSAGE_TOO_LARGE = 10054;

    private Errors() {
    }

    /** The failure behind completion and execution wrappers, and behind jnats' RuntimeException wrapping. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException
                || (c != null && c.getClass() == RuntimeException.class)) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** {@code t} as a BrokerException, or {@code t} itself when it is a caller's mistake. */
    static Throwable map(Throwable t, String what) {
        Throwable c = unwrap(t);
        if (c instanceof BrokerException || c instanceof IllegalArgumentException
                || c instanceof NullPointerException) {
            return c;
        }
        if (c instanceof JetStreamApiException) {
            return api((JetStreamApiException) c, what);
        }
        if (c instanceof JetStreamStatusException && ((JetStreamStatusException) c).getStatus().getCode() == 503) {
            return new BrokerException(Reason.NO_RESPONDERS, what + ": no responders", c);
        }
        if (c instanceof TimeoutException) {
            return new BrokerException(Reason.TIMEOUT, what + ": no answer in time", c);
        }
        if (c instanceof CancellationException) {
            boolean closing = String.valueOf(c.getMessage()).contains("closing");
            return new BrokerException(closing ? Reason.UNAVAILABLE : Reason.TIMEOUT, what + ": " + c.getMessage(), c);
        }
        if (c instanceof IOException || c instanceof IllegalStateException) {
            return new BrokerException(Reason.UNAVAILABLE, what + ": " + c.getMessage(), c);
        }
        return new BrokerException(Reason.UNAVAILABLE, what + " failed: " + c, c);
    }

    static BrokerException api(JetStreamApiException e, String what) {
        switch (e.getApiErrorCode()) {
            case WRONG_LAST_SEQUENCE:
                return new BrokerException(Reason.WRONG_LAST_SEQUENCE, what + ": " + e.getErrorDescription(), e);
            case MESSAGE_TOO_LARGE:
                return new BrokerException(Reason.TOO_LARGE, what + ": " + e.getErrorDescription(), e);
            default:
                return new BrokerException(Reason.UNAVAILABLE, what + ": " + e.getMessage(), e);
        }
    }

    /** The JetStream API error code of {@code t}, or -1. */
    static int apiCode(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof BrokerException && c.getCause() != null) {
            c = unwrap(c.getCause());
        }
        return c instanceof JetStreamApiException ? ((JetStreamApiException) c).getApiErrorCode() : -1;
    }
}
