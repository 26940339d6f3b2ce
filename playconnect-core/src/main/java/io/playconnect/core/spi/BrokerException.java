package io.playconnect.core.spi;

/** A broker operation that failed for a reason callers act on. */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a broker operation failed. */
    public enum Reason {
        /** Request-reply: nobody is subscribed to the subject (for commands: no owner yet). */
        NO_RESPONDERS,
        /** Request-reply: no reply within the timeout. The outcome is unknown. */
        TIMEOUT,
        /** Room log: the append's expected last seq was not the log's last seq (the fence). */
        WRONG_LAST_SEQUENCE,
        /** Key-value: create on an existing key, or update with a stale revision. */
        KEY_EXISTS_OR_STALE,
        /** The message or value exceeds the broker's size limit. */
        TOO_LARGE,
        /** The broker is closed or unreachable. */
        UNAVAILABLE
    }

    private final Reason reason;

    public BrokerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BrokerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The reason of {@code t} or of its cause when it is a BrokerException, otherwise null. */
    public static Reason reasonOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BrokerException) {
                return ((BrokerException) c).reason;
            }
        }
        return null;
    }
}
