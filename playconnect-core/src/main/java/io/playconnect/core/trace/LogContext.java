package io.playconnect.core.trace;

import org.slf4j.MDC;

/**
 * The logging MDC keys of a message: {@value #TRACE_ID}, {@value #ROOM}, {@value #CONNECTION_ID}
 * and {@value #PROTOCOL}. Set them right before handling one message and {@link #clear()} them in
 * a {@code finally} of the same call: the threads are shared (event loops, partition threads,
 * pools), so a key left behind would label someone else's lines. Hot paths do so only while
 * tracing or DEBUG logging is on; {@link #around} labels a single WARN or ERROR line otherwise.
 */
public final class LogContext {
    public static final String TRACE_ID = "trace_id";
    public static final String ROOM = "room";
    public static final String CONNECTION_ID = "connection_id";
    public static final String PROTOCOL = "protocol";

    private LogContext() {
    }

    /** Sets the keys whose value is known; a null or malformed traceparent sets no trace id. */
    public static void set(String traceparent, String room, String connectionId, String protocol) {
        if (Traceparent.isValid(traceparent)) {
            MDC.put(TRACE_ID, Traceparent.traceId(traceparent));
        }
        put(ROOM, room);
        put(CONNECTION_ID, connectionId);
        put(PROTOCOL, protocol);
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /**
     * Runs one log call with the keys set, unless the handling around it already set them. The hot
     * paths set the keys only while tracing or DEBUG is on (each {@code MDC.put} allocates); the
     * rare WARN and ERROR lines about a message call this so they are labelled either way.
     */
    public static void around(String traceparent, String room, String connectionId, String protocol,
                              Runnable logCall) {
        if (MDC.get(ROOM) != null) {
            logCall.run();
            return;
        }
        set(traceparent, room, connectionId, protocol);
        try {
            logCall.run();
        } finally {
            clear();
        }
    }

    /** Removes this class's keys only, so an embedder's own MDC keys survive. */
    public static void clear() {
        MDC.remove(TRACE_ID);
        MDC.remove(ROOM);
        MDC.remove(CONNECTION_ID);
        MDC.remove(PROTOCOL);
    }
}
