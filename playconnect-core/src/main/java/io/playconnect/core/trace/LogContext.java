package io.playconnect.core.trace;

import org.slf4j.MDC;

/**
 * The logging MDC keys of a message: {@value #TRACE_ID}, {@value #ROOM}, {@value #CONNECTION_ID}
 * and {@value #PROTOCOL}. Set them right before handling one message and {@link #clear()} them in
 * a {@code finally} of the same call: the threads are shared (event loops, partition threads,
 * pools), so a key left behind would label someone else's lines.
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

    /** Removes this class's keys only, so an embedder's own MDC keys survive. */
    public static void clear() {
        MDC.remove(TRACE_ID);
        MDC.remove(ROOM);
        MDC.remove(CONNECTION_ID);
        MDC.remove(PROTOCOL);
    }
}
