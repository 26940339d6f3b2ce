package io.playconnect.core.trace;

/**
 * The W3C {@code traceparent} format, {@code vv-<32 hex trace id>-<16 hex span id>-<2 hex flags>}
 * in lower case, checked without allocating. Anything else a client sends is ignored: the gateway
 * then starts a new trace (or, with tracing off, forwards no context).
 */
public final class Traceparent {
    /** The length of a version-00 traceparent. */
    public static final int LENGTH = 55;

    private Traceparent() {
    }

    /**
     * True for a well-formed traceparent of version 00 (or a later version, whose first 55
     * characters follow the same layout) with a non-zero trace id and span id.
     */
    public static boolean isValid(String s) {
        if (s == null || s.length() < LENGTH || s.length() > 512) {
            return false;
        }
        if (s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
            return false;
        }
        if (!hex(s, 0, 2) || !hex(s, 3, 35) || !hex(s, 36, 52) || !hex(s, 53, 55)) {
            return false;
        }
        boolean v00 = s.charAt(0) == '0' && s.charAt(1) == '0';
        if (v00 ? s.length() != LENGTH : s.startsWith("ff") || s.charAt(LENGTH) != '-') {
            return false;
        }
        return !zero(s, 3, 35) && !zero(s, 36, 52);
    }

    /** The 32 hex digits of the trace id of a {@linkplain #isValid valid} traceparent. */
    public static String traceId(String valid) {
        return valid.substring(3, 35);
    }

    /** The 16 hex digits of the parent span id of a {@linkplain #isValid valid} traceparent. */
    public static String spanId(String valid) {
        return valid.substring(36, 52);
    }

    /** The two hex digits of the trace flags of a {@linkplain #isValid valid} traceparent. */
    public static String flags(String valid) {
        return valid.substring(53, 55);
    }

    /** A version-00 traceparent. */
    public static String format(String traceId, String spanId, String flags) {
        return "00-" + traceId + '-' + spanId + '-' + flags;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
